-- print and tostring honour __tostring and __name.
local P = setmetatable({}, {__tostring = function(t) return "<P object>" end})
print(P)
print(tostring(P), string.format("%s", P))
print(P, P, "mixed")
local Named = setmetatable({}, {__name = "Widget"})
print((tostring(Named):gsub("0x%x+", "ADDR")))
local NamedNonString = setmetatable({}, {__name = 42})
print((tostring(NamedNonString):gsub("0x%x+", "ADDR")))
print(pcall(tostring, setmetatable({}, {__tostring = function() return {} end})))
print(pcall(print, setmetatable({}, {__tostring = function() error("tostring failed") end})))
local counter = 0
local C = setmetatable({}, {__tostring = function() counter = counter + 1 return "C" .. counter end})
print(C, C, C)
print(tostring(C) .. "!")
print(("%s|%s"):format(C, 1))
local t = {}
for i = 1, 3 do t[i] = setmetatable({i = i}, {__tostring = function(s) return "item" .. s.i end}) end
print(t[1], t[2], t[3])
local strs = {}
for i = 1, 3 do strs[i] = tostring(t[i]) end
print(table.concat(strs, ","))
print(pcall(table.concat, t, ","))
