-- Every string function called as a method on a string value.
local s = "Hello Lua"
print(s:len(), s:upper(), s:lower(), s:reverse())
print(s:sub(1, 5), s:byte(1), s:rep(2, "|"))
print(s:find("Lua"), s:match("(%a+) (%a+)"))
print(s:gsub("l", "L"))
for w in s:gmatch("%a+") do io.write(w, ";") end
print()
print(("%d-%s"):format(1, "x"), ("x"):rep(0) == "")
local n = 42
print(pcall(function() return n:len() end))
print(("abc"):len() + ("de"):len())
print(#s:sub(2):sub(2):sub(2))
print(("  pad  "):match("^%s*(.-)%s*$"):upper())
local mt = getmetatable("")
print(type(mt), mt.__index == string)
string.shout = function(self) return self:upper() .. "!" end
print(("hey"):shout())
string.shout = nil
print(pcall(function() return ("hey"):shout() end))
