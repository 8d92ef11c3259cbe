-- Hot while/repeat loops with varied exits and guard changes.
local i, s = 0, 0
while i < 10000 do i = i + 1 s = s + i end
print(i, s)
local n, steps = 27, 0
while n ~= 1 do if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end steps = steps + 1 end
print(steps)
local maxsteps, arg = 0, 0
for start = 1, 3000 do
  local c, k = start, 0
  while c ~= 1 do if c % 2 == 0 then c = c // 2 else c = 3 * c + 1 end k = k + 1 end
  if k > maxsteps then maxsteps, arg = k, start end
end
print(maxsteps, arg)
local x = 1.0
repeat x = x * 1.5 until x > 1e10
print(x)
local cnt = 0
repeat
  cnt = cnt + 1
  local done = cnt >= 5000
until done
print(cnt)
local a, b = 0, 1
local k = 0
while b < 1e15 do a, b = b, a + b k = k + 1 end
print(k, b, math.type(b))
local val = 0
while true do
  val = val + 1
  if val == 4000 then val = val + 0.5 end
  if val > 4000 then break end
end
print(val)
