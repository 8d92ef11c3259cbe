-- The shared string metatable: indexing strings, methods, and its limits.
local s = "hello"
print(s.len == string.len, s[1], s.nonexistent)
print(s:upper(), ("x"):rep(3), (s):sub(2, 3))
print(#getmetatable(s).__index.format("%5s", "ab"))
print(pcall(function() s.x = 1 end))
print(pcall(function() local n = 5 return n:foo() end))
print(pcall(function() return ("x"):nomethod() end))
print(getmetatable("a") == getmetatable("b"), getmetatable("a").__index == string)
string.double = function(str) return str .. str end
print(("ab"):double(), s:double())
string.double = nil
local mt = getmetatable("")
local saved = mt.__index
mt.__index = function(str, k) if k == "first" then return str:sub(1, 1) end return saved[k] end
print(s.first, s:upper())
mt.__index = saved
print(s.first)
print(pcall(setmetatable, "x", {}))
print(getmetatable("").__name)
