-- __eq, __lt, __le and their rules.
local mt = {}
mt.__eq = function(a, b) return a.v == b.v end
mt.__lt = function(a, b) return a.v < b.v end
mt.__le = function(a, b) return a.v <= b.v end
local function box(v) return setmetatable({v = v}, mt) end
local a, b, c = box(1), box(2), box(1)
print(a == c, a ~= c, a == b, a < b, b < a, a <= c, b <= a, a > b, b >= a)
print(a == 1, 1 == a, rawequal(a, c))
-- __eq is only called for two tables (or two userdata)
local eqcalls = 0
local m2 = {__eq = function() eqcalls = eqcalls + 1 return true end}
local x, y = setmetatable({}, m2), setmetatable({}, {})
print(x == y, y == x, eqcalls)
print(x == x, eqcalls)
-- __eq result converted to boolean
local m3 = {__eq = function() return "yes" end, __lt = function() return nil end, __le = function() return 1 end}
local p, q = setmetatable({}, m3), setmetatable({}, m3)
print(p == q, p < q, p <= q, p ~= q)
-- __lt with mixed operand types
local m4 = {__lt = function(l, r)
  local lv = type(l) == "table" and l.v or l
  local rv = type(r) == "table" and r.v or r
  return lv < rv
end}
local w = setmetatable({v = 5}, m4)
print(w < 10, 3 < w, w > 4, 10 < w)
-- (no test of <= with only __lt: whether it falls back to "not (b < a)"
-- depends on the LUA_COMPAT_LT_LE build option of the reference interpreter)
print(pcall(function() return {} < {} end))
print(pcall(function() return {} <= {} end))
print(pcall(function() return 1 < {} end))
print(pcall(function() return "a" < 1 end))
print(pcall(function() return nil < 1 end))
print(pcall(function() return true > false end))
