-- jit_float_spill_ops.lua: float arithmetic whose operands live in spill
-- slots. With more live floats than float registers, a spilled operand is
-- read from its slot by the operation itself (ADD/SUB/MUL/DIV_FM: the
-- second operand; RSUB/RDIV_FM: the first, when the second dies in the
-- result's register; ir_lower.c); a constant first operand (1.0 / x,
-- 0.5 - x: RDIV_FK, RSUB_FK). Both orders of the non-commutative
-- operations, invariants and loop values, and an exit mid-loop.

local function fmt(v)
  if v ~= v then return "nan" end
  if math.type(v) == "float" then return string.format("%.17g", v) end
  return tostring(v)
end

local function run(t, n)
  local p1, p2, p3, p4, p5 = 1.5, 2.25, -3.125, 0.75, 9.5
  local q1, q2, q3, q4, q5 = 0.0, 0.0, 0.0, 0.0, 0.0
  for i = 1, n do
    local x = t[i]
    local a = p1 - x
    local b = x - p2
    local c = p3 / (x + 1.0)
    local d = (a * b) / p4
    local e = p5 - c * d
    local f = (a + b) / (c - d)
    q1 = q1 + a * p1 - b
    q2 = q2 - (p2 - e) * c
    q3 = q3 + p3 / f - d
    q4 = p4 - (q4 * 0.5 - e / p5)
    q5 = (q5 + x) - (p1 * p2 - p3 * p4) / (p5 - x)
    q1 = q1 + 1.0 / (x + 3.0) - (0.5 - x * x)
    if x > 1e300 then print("big", fmt(a), fmt(b), fmt(c), fmt(d), fmt(e)) end
  end
  return q1, q2, q3, q4, q5
end

local t = {}
for i = 1, 300 do t[i] = (i % 17) * 0.37 - 2.0 end
t[250] = 1e301
t[260] = 0 / 0
t[270] = -0.0
t[280] = 3 -- an integer element: the float load's guard exits
for _, n in ipairs({40, 120, 240, 299}) do
  local r = {run(t, n)}
  for k = 1, #r do r[k] = fmt(r[k]) end
  print(n, table.concat(r, " "))
end
