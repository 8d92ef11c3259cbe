-- Concatenation and the length operator.
print("a" .. "b", "a" .. 1, 1 .. "a", 1.0 .. "", -1 .. "")
print(("x"):rep(3) .. ("y"):rep(2))
local parts = {}
for i = 1, 10 do parts[#parts + 1] = i end
print(table.concat(parts, ","), #parts)
print(#"", #"hello", #"\0\0", #{}, #{1, 2, 3}, #{nil}, #{n = 1})
local s = ""
for i = 1, 5 do s = s .. i .. "," end
print(s)
print(pcall(function() return "a" .. nil end))
print(pcall(function() return "a" .. true end))
print(pcall(function() local t = {} return "a" .. t end))
print(pcall(function() return #5 end))
print(pcall(function() local n = nil return #n end))
local a, b, c = "x", "y", "z"
print(a .. b .. c .. a .. b .. c)
print(1 .. 2 .. 3 .. 4.5)
local t = {10, 20, 30, nil}
print(#t)
t[#t + 1] = 40
print(#t, t[4])
t[#t] = nil
print(#t)
local long = {}
for i = 1, 1000 do long[i] = i end
print(#long)
for i = 1000, 501, -1 do long[i] = nil end
print(#long)
print(#"\u{10FFFF}")
