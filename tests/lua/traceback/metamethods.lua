local mt = {}
mt.__index = function(t, k) return t.missing .. k end
mt.__concat = function(a, b) return #a end
mt.__len = function(a) return a + 1 end
mt.__unm = function(a) return -a.n end
mt.__eq = function(a, b) return a.n < b end
mt.__lt = function(a, b) error("lt here") end
local a = setmetatable({n = 1}, mt)
local b = setmetatable({n = 2}, mt)
local function cmp() return a < b end
local ok, e = pcall(cmp)
print(e)
local function eq() return a == b end
print(pcall(eq))
local up = a
local function cat() return up .. "x" end
cat()
