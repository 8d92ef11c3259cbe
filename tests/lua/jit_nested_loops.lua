-- Nested hot loops, matrix multiply, loop-carried values.
local n = 40
local a, b = {}, {}
for i = 1, n do
  a[i], b[i] = {}, {}
  for j = 1, n do a[i][j] = i + j b[i][j] = i - j end
end
local c = {}
for i = 1, n do
  local ci = {}
  for j = 1, n do
    local s = 0
    for k = 1, n do s = s + a[i][k] * b[k][j] end
    ci[j] = s
  end
  c[i] = ci
end
print(c[1][1], c[n][n], c[10][20])
local count = 0
for i = 1, 100 do for j = i, 100 do if (i * j) % 7 == 0 then count = count + 1 end end end
print(count)
local sieve = {}
local N = 20000
for i = 2, N do sieve[i] = true end
for i = 2, math.floor(math.sqrt(N)) do
  if sieve[i] then for j = i * i, N, i do sieve[j] = false end end
end
local primes = 0
for i = 2, N do if sieve[i] then primes = primes + 1 end end
print(primes)
local tri = 0
for i = 1, 200 do
  local inner = 0
  while inner < i do inner = inner + 1 tri = tri + 1 end
end
print(tri)
local fsum = 0.0
for i = 1, 300 do for j = 1, 300 do fsum = fsum + 1 / (i + j) end end
print(string.format("%.8f", fsum))
local outer_break = 0
for i = 1, 1000 do
  for j = 1, 1000 do
    if j > i then break end
    outer_break = outer_break + 1
  end
  if outer_break > 100000 then break end
end
print(outer_break)
