-- error with strings, tables, levels 0/1/2, and non-string values.
local function lvl1() error("level one") end
local function lvl2() error("level two", 2) end
local function lvl0() error("no position", 0) end
local function caller() lvl2() end
print(pcall(lvl1))
print(pcall(caller))
print(pcall(lvl0))
local ok, e = pcall(error, {code = 42})
print(ok, type(e), e.code)
print(pcall(error, 42))
print(pcall(error, nil))
print(pcall(error))
print(pcall(error, true))
print(pcall(error, "msg", 3))
local t = setmetatable({}, {__tostring = function() return "error object" end})
local ok2, e2 = pcall(error, t)
print(ok2, e2 == t, tostring(e2))
-- error with a number keeps the number (no position added)
local ok3, e3 = pcall(function() error(3.5) end)
print(ok3, e3, math.type(e3))
-- nested pcall
print(pcall(pcall, error, "inner"))
print(select('#', pcall(error)))
-- error message with position from nested function
local function deep(n) if n == 0 then error("bottom reached") end deep(n - 1) end
print(pcall(deep, 5))
-- rethrowing keeps the original message
local ok4, e4 = pcall(function()
  local ok5, e5 = pcall(error, "original")
  error(e5, 0)
end)
print(ok4, e4)
-- error in a metamethod
local mt = setmetatable({}, {__index = function(_, k) error("no field " .. k) end})
print(pcall(function() return mt.foo end))
print(pcall(function() error("with level 2", 2) end))
