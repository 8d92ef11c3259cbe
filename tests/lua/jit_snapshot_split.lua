-- jit_snapshot_split.lua: a loop with more live floats than float
-- registers, whose locals only exits need after their last use (the
-- rarely taken branch prints them). With registers short, the allocator
-- keeps such values in registers only to their last use and restores
-- them at later exits from a slot written at their definition
-- (ir_ra.c, snapshot splitting). The exits come from values that change
-- mid-loop: inf, NaN, -0.0, an integer element, a string, integer wrap.

local function fmt(v)
  if math.type(v) == "float" then return string.format("%.17g", v) end
  return tostring(v)
end

local function run(t, n, label)
  local acc1, acc2, acc3 = 0.0, 0.0, 0.0
  local k = math.maxinteger - 195
  for i = 1, n do
    local x = t[i]
    local a = x * 1.5
    local b = a + 0.25
    local c = b * b
    local d = c - a
    local e = d / (b + 1.0)
    local f = e * e + c
    local g = f - d
    acc1 = acc1 + a + g
    acc2 = acc2 + b * e
    acc3 = acc3 + c - f
    k = k + 1
    local y = t[i + 1]
    if y > 1e300 or y ~= y or 1 / y < 0 or k < 0 then
      print(label, i, fmt(a), fmt(b), fmt(c), fmt(d), fmt(e), fmt(f),
            fmt(g), fmt(y), k)
    end
    acc1 = acc1 + y * 0.5
  end
  return acc1, acc2, acc3
end

local function table_of(n, special)
  local t = {}
  for i = 1, n + 1 do t[i] = (i % 7) * 0.125 + 1.0 end
  for at, v in pairs(special) do t[at] = v end
  return t
end

local cases = {
  {"plain", {}},
  {"inf", {[150] = math.huge}},
  {"nan", {[160] = 0 / 0}},
  {"negzero", {[170] = -0.0}},
  {"int", {[180] = 3}},
  {"late", {[199] = 1e308}},
}
for _, case in ipairs(cases) do
  local t = table_of(200, case[2])
  local ok, a1, a2, a3 = pcall(run, t, 200, case[1])
  print(case[1], ok, fmt(a1), fmt(a2), fmt(a3))
end
-- a string mid-loop: the arithmetic on it fails after the exit
local t = table_of(200, {[190] = "x"})
local ok, err = pcall(run, t, 200, "string")
print("string", ok, (tostring(err):gsub("^.-:%d+: ", "")))
-- k wraps to negative at i = 196
print(math.maxinteger - 195 + 196 < 0)
