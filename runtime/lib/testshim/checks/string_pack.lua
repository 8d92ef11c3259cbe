-- string.pack / packsize / unpack.
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function try(f, ...)
  local r = table.pack(pcall(f, ...))
  for i = 1, r.n do r[i] = type(r[i]) == "string" and #r[i] > 0 and r[i]:find("[^%g ]") and hex(r[i]) or tostring(r[i]) end
  return table.concat(r, ",", 1, r.n)
end
local fmts = {"b", "B", "h", "H", "i", "I", "l", "L", "j", "J", "T", "i1", "i2", "i3", "i5", "i7", "i8", "i9", "i16",
  "I1", "I3", "I16", "<i4", ">i4", "=i4", "<I3", ">I9", ">j", "<j"}
local vals = {0, 1, -1, 127, 128, -128, 255, 256, 32767, -32768, 65535, 2^31 - 1, -2^31, 2^32, math.maxinteger, math.mininteger, 1.0, 1.5, "7", "x"}
for _, f in ipairs(fmts) do
  local row = {}
  for _, v in ipairs(vals) do
    local ok, p = pcall(string.pack, f, v)
    if ok then row[#row + 1] = hex(p) .. "=" .. try(string.unpack, f, p) else row[#row + 1] = "E:" .. p end
  end
  print(f, string.packsize(f), table.concat(row, " "))
end
for _, f in ipairs{"f", "d", "n", "<f", ">d", ">n"} do
  local row = {}
  for _, v in ipairs{0.0, -0.0, 1.0, 0.1, -2.5, 1e300, 1/0, 3, "1e2"} do
    local p = string.pack(f, v) row[#row + 1] = hex(p) .. "=" .. try(string.unpack, f, p)
  end
  print(f, table.concat(row, " "))
end
print(hex(string.pack("z", "hello")), try(string.unpack, "z", "hello\0rest"), try(string.pack, "z", "a\0b"))
print(try(string.unpack, "z", "no terminator"))
print(hex(string.pack("s", "abc")), hex(string.pack("s1", "abc")), hex(string.pack(">s2", "abc")), try(string.pack, "s1", string.rep("x", 256)))
print(try(string.unpack, "s1", "\5abc"), try(string.unpack, "s1", "\3abcdef"))
print(hex(string.pack("c5", "ab")), try(string.pack, "c2", "abc"), try(string.unpack, "c3", "abcdef"), try(string.pack, "c", "x"))
print(hex(string.pack("!<i1 i4 i2 d", 1, 2, 3, 4.0)), string.packsize("!<i1 i4 i2 d"), string.packsize("!2 i1 i8"), string.packsize("!16 i1 i16"))
print(hex(string.pack("<i1 Xi4 i1", 1, 2)), hex(string.pack("!4 i1 Xi4 i1", 1, 2)), hex(string.pack("!8 i1 Xi8", 1)))
print(try(string.pack, "!3 i1 i4", 1, 2), try(string.pack, "X", 1), try(string.pack, "Xc1", 1), try(string.pack, "Xz", 1))
print(hex(string.pack("xBxxB", 1, 2)), try(string.unpack, "xBxxB", "\0\1\0\0\2"))
print(try(string.pack, "i17", 1), try(string.pack, "i0", 1), try(string.pack, "q", 1), try(string.pack, "!17", 1), try(string.pack, "i", 1, 2))
print(try(string.packsize, "s"), try(string.packsize, "z"), try(string.packsize, "c2147483647c2"), string.packsize(""), string.packsize("  "))
print(try(string.unpack, "i4", "abc"), try(string.unpack, "i4", "abcdefgh", 5), try(string.unpack, "i4", "abcdefgh", 6), try(string.unpack, "i4", "abcd", -4))
print(try(string.unpack, "b", "x", 3), try(string.unpack, "b", "x", 2), try(string.unpack, "", "abc", 4), try(string.unpack, "b", "x", -10))
print(try(string.unpack, "<i9", "\1\0\0\0\0\0\0\0\1"), try(string.unpack, "<i9", "\255\255\255\255\255\255\255\255\255"), try(string.unpack, "<I9", "\255\255\255\255\255\255\255\255\0"))
print(try(string.unpack, "<i16", string.pack("<i16", -3)), try(string.unpack, ">I16", string.pack(">I16", 77)))
print(try(string.pack, "i2", 40000), try(string.pack, "I2", -1), try(string.pack, "I1", 256), try(string.pack, "i1", -129))
print(try(string.unpack, "i2 i2 s1 z B", string.pack("i2 i2 s1 z B", 10, -20, "str", "zs", 200)))
print(try(string.pack), try(string.unpack, "i"), try(string.pack, "i", "x"), try(string.pack, "d", {}))
print(hex(string.pack("i4", 7.0)), try(string.pack, "i4", 7.5), try(string.pack, "i4", "0x10"))
