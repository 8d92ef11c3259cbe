-- Byte-level round trips, embedded zeros, comparisons.
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
local ok = true
for i = 1, 256 do if s:byte(i) ~= i - 1 then ok = false end end
print(#s, ok, s:sub(66, 70), s:byte(-1))
local z = "a\0b\0c"
print(#z, z:upper():byte(1, -1))
print(z:find("\0", 1, true), z:find("b\0c"), z:rep(2):len())
print(("\0"):rep(3) < ("\0"):rep(4), "a\0" > "a", "\0" < "\1")
print(string.format("%s", z) == z, #string.format("%q", z))
print(("x\0y"):gsub("%z", "0"))
print(("abc"):byte(1, 3))
print(string.char(("hello"):byte(1, -1)))
local chars = {}
for c in ("héllo"):gmatch(".") do chars[#chars + 1] = c:byte() end
print(#chars, table.concat(chars, " "))
local sorted = {"b", "B", "a", "A", "_", "0", "aa", "a\0"}
table.sort(sorted)
local out = {}
for i, v in ipairs(sorted) do out[i] = (v:gsub("%z", "\\0")) end
print(table.concat(out, " "))
