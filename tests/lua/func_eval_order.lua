-- Vararg truncation in expression lists, method calls, left-to-right evaluation of
-- operands, constructor items and call arguments.
local a = {}
a.x, a.y, a.x = 1, 2, 3
print(a.x == 1 or a.x == 3, a.y)
local function g(...) local x, y = ..., "last" return x, y end
print(g(1, 2, 3))
local function h(...) return ..., "end" end
print(h(1, 2, 3))
print((h(1, 2)))
local o = {v = 10}
function o.get(self, ...) return self.v, select('#', ...) end
print(o:get(), o:get(nil), o.get(o, 1, 2))
local s = "x"
print(s:rep(3):upper():lower():len())
local n = 0
local mt = {__index = function(t, k) n = n + 1 return k end}
local p = setmetatable({}, mt)
local r = p.a .. p.b .. p[1] .. p[2.5]
print(r, n)
local calls = {}
local function track(name, v) calls[#calls + 1] = name return v end
local res = track("a", 1) + track("b", 2) * track("c", 3)
print(res, table.concat(calls, ","))
calls = {}
local tt = {track("k1", 1), track("k2", 2), [track("k3", 3)] = track("v3", "x")}
print(#tt, table.concat(calls, ","))
calls = {}
track("f", print)(track("arg1", "A"), track("arg2", "B"))
print(table.concat(calls, ","))
