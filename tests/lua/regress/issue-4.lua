-- Regressions found by the JIT differential fuzzer in trace code: float
-- modulo with both operands negative must not be corrected.
local r, x, y = 0, -5.5, -2.0
for i = 1, 30 do r = x % y end
print(r)
local acc = 0.0
for i = 1, 100 do
  local v = -(i + 0.5)
  acc = acc + v % -3.0 + v % 3.0 + (i + 0.25) % -2.0
end
print(string.format("%.17g", acc))
local t = {}
for i = 1, 60 do t[i] = (-1e300) % -math.huge end
print(t[1], t[60])
