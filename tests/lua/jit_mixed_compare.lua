-- jit_mixed_compare.lua: an integer compared with a float in a trace
-- (record.c: mixed_cmp): exact as the float comparison while the integer
-- is within +-2^53 (guards), the interpreter's beyond; NaN, infinities,
-- -0.0, fractions, and the operand types swapping mid-loop.
local ints = {0, 1, -1, 3, 7, 2^53 // 1, -(2^53 // 1), 2^53 // 1 + 1,
              math.maxinteger, math.mininteger, 100, -100}
local flts = {0.0, -0.0, 0.5, -0.5, 1.0, 3.0, 7.25, 2.0^53, -2.0^53,
              2.0^53 + 2, 1/0, -1/0, 0/0, 9.2233720368547758e18,
              -9.2233720368547758e18, 100.0}
local counts = {0, 0, 0, 0, 0, 0}
for rep = 1, 3 do
  for _, i in ipairs(ints) do
    for _, f in ipairs(flts) do
      if i < f then counts[1] = counts[1] + 1 end
      if i <= f then counts[2] = counts[2] + 1 end
      if f < i then counts[3] = counts[3] + 1 end
      if f <= i then counts[4] = counts[4] + 1 end
      if i == f then counts[5] = counts[5] + 1 end
      if f ~= i then counts[6] = counts[6] + 1 end
    end
  end
end
print(table.concat(counts, " "))

-- a float index walking towards an integer limit, and back
local n, steps = 0, 0
local x = 0.0
local lim = 1000
while x < lim do x = x + 0.75 steps = steps + 1 end
while x - 1 > lim / 2 do x = x - 1.5 n = n + 1 end
print(steps, n, x)

-- scimark's bit reversal: float j and k against integers
local function bitreverse(nd)
  local j, sum = 1, 0
  for i = 1, nd, 2 do
    if i < j then sum = sum + i + j end
    local k = nd / 2
    while k >= 2 and j > k do j = j - k; k = k / 2 end
    j = j + k
  end
  return sum, j
end
print(bitreverse(2048), bitreverse(512))

-- types swapping in the same comparison
local mixed = {1, 2.5, 3, 4.0, -1, 0/0, 7, 2^53 // 1 + 1, 2.0^60, 5}
local c1, c2 = 0, 0
for rep = 1, 40 do
  for k = 1, #mixed - 1 do
    local p, q = mixed[k], mixed[k + 1]
    if p < q then c1 = c1 + 1 end
    if p == q + 0 then c2 = c2 + 1 end
  end
end
print(c1, c2)
