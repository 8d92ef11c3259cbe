-- Library paths made faster in the interpreter: buffers that grow in place
-- and become their result, long lines read by io.lines, interning, and
-- the edge cases of the functions that use them.

-- table.concat: short, exactly-filled, grown, and shrunk results
local t = {}
for i = 1, 3000 do t[i] = ("x"):rep(i % 7) .. i end
local s = table.concat(t)
print(#s, s:sub(1, 20), s:sub(-20))
print(#table.concat(t, ", "), #table.concat(t, "", 10, 20), table.concat(t, "-", 5, 7))
print(table.concat({}, "x"), table.concat({"a"}, "x"), table.concat({1, 2.5, "z"}, "|"))
print(table.concat({1, 2, 3}, ", ", 3, 2) == "")
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2, nil, 4}, ",", 1, 4))
-- a buffer interleaved with other allocations (the box is not the newest object)
local parts = {}
local mt = {__index = function(_, i) parts[#parts + 1] = {i} ; return ("k"):rep(50) .. i end}
local prox = setmetatable({}, mt)
local r = table.concat(prox, "", 1, 200)
print(#r, #parts, r:sub(1, 8), r:sub(-6))
-- results used as keys right after they are built (hash computed on the final length)
local keys = {}
for i = 1, 50 do keys[table.concat({("a"):rep(60), i})] = i end
local n = 0
for k, v in pairs(keys) do n = n + v; assert(keys[("a"):rep(60) .. v] == v) end
print(n)
-- rep, reverse, upper, lower, char of every size class
for _, len in ipairs({0, 1, 40, 41, 1023, 1024, 1025, 5000}) do
  local x = ("ab"):rep(len // 2) .. ((len % 2 == 1) and "c" or "")
  print(len, #x, #x:reverse(), x:upper():sub(1, 4), x:lower():sub(-3), #string.rep(x, 3, ","))
end
print(#string.char(table.unpack((function() local c = {} for i = 1, 200 do c[i] = 65 + i % 26 end return c end)())))
-- gsub: growing results, every replacement kind, max replacements
local big = ("word "):rep(1000)
local g, c = big:gsub("w(o)rd", "%1%0%%")
print(#g, c, g:sub(1, 16))
print(big:gsub("word", {word = "W"}, 3):sub(1, 12), select(2, big:gsub("word", {word = false})))
print(("abc"):gsub("%w", function(x) if x == "b" then return false end return x:upper() end))
print(("abc"):gsub("", "-"), ("abc"):gsub("b*", "X"), ("hello world"):gsub("o", "0", 1))
print(("abc"):gsub("^a", "A"), ("aaa"):gsub("^a", "A"), ("abc"):gsub("c$", "C"))
print(pcall(string.gsub, "abc", "b", "%2"))
print(pcall(string.gsub, "abc", "b", "%x"))
print(pcall(string.gsub, "abc", "b", function() return {} end))
print(("f(a(b)c)d"):gsub("%b()", "[]"), ("THE (quick) fox"):gsub("%f[%a]%a+", string.lower))
print(("x=1, y=2"):gsub("(%w+)=(%w+)", "%2=%1"), ("abc"):gsub("()", "%1"))
-- find/match: init beyond the end, negative init, plain find with specials
print(("abc"):find("b", 10), ("abc"):find("", 4), ("abc"):find("", 5), ("abc"):find("c", -1))
print(("a.b[c]"):find(".", 1, true), ("a.b[c]"):find("[c]", 1, true), ("a+b"):find("+", 1, true))
print(("a.b"):find("%."), ("aaa"):find("a-", 2), ("hello"):match("(h)(e)()"))
print(("  key = value  "):match("^%s*(%w+)%s*=%s*(%w+)%s*$"))
print(pcall(string.find, "abc", "[a"))
print(pcall(string.match, "abc", "%"))
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do io.write(k, v, ";") end
print()
for w in ("one two  three"):gmatch("%a*") do io.write("<", w, ">") end
print()
-- format: widths, precision, %q, errors
print(("%5.2f|%-8d|%x|%X|%o|%e|%g|%a"):format(3.14159, 42, 255, 255, 8, 12345.678, 1e20, 1.0))
print(("%q"):format("a\n\"b\"\0c\r\t" .. ("z"):rep(3)), ("%q"):format(1 / 0), ("%q"):format(2^63), ("%q"):format(-0.0))
print(("%s|%10s|%-10s|%.3s"):format(nil, "r", "l", "abcdef"), ("%d"):format(3.0), ("%5s%%"):format(1))
print(pcall(string.format, "%d", 3.5))
print(pcall(string.format, "%z", 1))
print(pcall(string.format, "%10.123f", 1))
print(#("%s"):format(("y"):rep(3000)), #("%-99s|"):format("x"), #("%s%s"):format(("y"):rep(2000), ("z"):rep(2000)))
-- sort: comparator errors and results
local a = {5, 3, 8, 1, 9, 2}
table.sort(a, function(x, y) return x > y end)
print(table.concat(a, " "))
print(pcall(table.sort, {3, 1, 2, 5, 4, 7, 6, 9, 8, 10, 12, 11}, function() return true end))
print(pcall(table.sort, {1, "x", 2}))
-- tostring/tonumber round trips
print(tostring(1e15), tostring(2^53), tostring(-0.0), tonumber("0x10"), tonumber(" 12 "), tonumber("1e2"), tonumber("z", 36))
-- io.lines: lines longer than the read chunk, last line without a newline
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write(("L"):rep(3000), "\n", "", "\n", "short\n", ("M"):rep(1024), "\n", "end")
f:close()
for line in io.lines(name) do io.write(#line, ":", line:sub(1, 3), " ") end
print()
for line in io.lines(name, "L") do io.write(#line, " ") end
print()
os.remove(name)
