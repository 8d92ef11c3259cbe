-- __concat chains, __len results, __unm and __bnot.
local mt = {}
mt.__concat = function(a, b)
  local function s(x) return type(x) == "table" and ("[" .. x.v .. "]") or tostring(x) end
  return setmetatable({v = s(a) .. s(b)}, mt)
end
local function obj(v) return setmetatable({v = v}, mt) end
-- (longer chains where a metamethod result is concatenated again crash
-- lua5.4.4 itself, so each concatenation here has a single metamethod step)
print(("a" .. obj("x")).v, (obj("x") .. "b").v)
print((obj("p") .. obj("q")).v)
print((1 .. obj("n")).v, (obj("n") .. 2.5).v)
print(("x" .. "y" .. obj("z")).v)
local L = setmetatable({}, {__len = function(t) return 7 end})
print(#L)
local L2 = setmetatable({1, 2, 3}, {__len = function(t) return rawlen(t) * 10 end})
print(#L2)
local L3 = setmetatable({}, {__len = function() return 1, 2 end})
print(#L3)
local U = setmetatable({n = 5}, {__unm = function(a) return -a.n end, __bnot = function(a) return ~a.n end})
print(-U, ~U)
local S = setmetatable({}, {__unm = function(a, b) return rawequal(a, b) end})
print(-S)
print(pcall(function() return (obj("x") .. nil).v end))
print(pcall(function() return (nil .. obj("x")).v end))
print(pcall(function() return {} .. "x" end))
print(pcall(function() return #setmetatable({}, {__len = function() error("len failed") end}) end))
