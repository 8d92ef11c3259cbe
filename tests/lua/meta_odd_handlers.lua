-- Unusual metamethod values: __index as a string/number, multiple results, float __len,
-- __eq choice of handler, __newindex only for absent keys, operator metamethods by side.
local t = setmetatable({}, {__index = "abc"})
print(t.len == string.len, t.upper and "has upper")
local u = setmetatable({}, {__index = 5})
print(pcall(function() return u.x end))
local v = setmetatable({}, {__newindex = "str"})
print(pcall(function() v.x = 1 end))
local w = setmetatable({}, {__index = function(t, k) return k, "extra" end})
print(w.a, select('#', w.a))
local lenf = setmetatable({}, {__len = function() return 2.5 end})
print(#lenf, math.type(#lenf))
local calls = 0
local eqt = setmetatable({}, {__eq = function() calls = calls + 1 return false end})
print(eqt == eqt, calls)
local a1 = setmetatable({}, {__eq = function() return true end})
local a2 = setmetatable({}, {__eq = function() return false end})
print(a1 == a2, a2 == a1)
print(pcall(function() return 1 .. setmetatable({}, {}) end))
local numcat = setmetatable({}, {__concat = function(a, b) return "C" end})
print(1 .. 2, numcat .. 1, 1 .. numcat)
local idx = setmetatable({}, {__index = setmetatable({}, {__index = function(_, k) return "deep " .. k end})})
print(idx.key)
local cnt = 0
local newi = setmetatable({}, {__newindex = function(t, k, v) cnt = cnt + 1 rawset(t, k, v) end})
newi.a = nil
newi.a = 1
newi.a = nil
newi.a = 2
print(cnt, newi.a)
local arr = setmetatable({}, {__index = function(t, i) return i * 10 end})
arr[2] = "own"
print(arr[1], arr[2], arr[3], rawget(arr, 1))
print(getmetatable(setmetatable({}, {__metatable = {fake = true}})).fake)
local mmt = {}
mmt.__index = mmt
mmt.method = function(self) return "method of " .. tostring(self.name) end
local inst = setmetatable({name = "inst"}, mmt)
print(inst:method(), inst.method == mmt.method, rawget(inst, "method"))
local div = setmetatable({}, {__div = function(a, b) return "div" end, __idiv = function() return "idiv" end, __mod = function() return "mod" end, __pow = function() return "pow" end})
print(div / 1, 1 / div, div // 1, div % 2, 2 ^ div)
local shl = setmetatable({}, {__shl = function(a, b) return type(a) .. "<<" .. type(b) end, __shr = function(a, b) return "shr" end})
print(shl << 1, 1 << shl, shl >> shl)
