local t = setmetatable({}, {__add = function(a, b) return string.rep(nil) end})
local function f() return t + 1 end
local function g() local x = f() return x end
g()
