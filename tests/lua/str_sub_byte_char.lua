-- string.len, sub, byte, char with all index forms.
local s = "Hello, World"
print(string.len(s), #s, s:len(), string.len(""))
print(s:sub(1, 5), s:sub(8), s:sub(-5), s:sub(-5, -2), s:sub(0), s:sub(5, 4))
print(s:sub(-100, 3), s:sub(3, 100), s:sub(math.mininteger, math.maxinteger))
print("[" .. s:sub(13) .. "]", "[" .. s:sub(0, 0) .. "]", s:sub(2.0, 3))
print(s:byte(), s:byte(1), s:byte(-1), s:byte(1, 3))
print(s:byte(100), s:byte(0), select('#', s:byte(5, 1)))
print(string.char(72, 105), string.char(), #string.char(0, 255))
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, "x"))
print(pcall(string.sub))
print(pcall(string.sub, "abc", "x"))
print(pcall(string.sub, "abc", 1.5))
print(("abc"):sub(2, 2.0))
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local allstr = table.concat(all)
print(#allstr, allstr:byte(256), allstr:byte(1))
print(string.byte("ABC", -2, -1))
print(("x"):byte(1, -1))
print(string.len("\0a\0"), ("\0a\0"):byte(1, -1))
print(string.sub(123456, 2, 3), string.len(12.5))
