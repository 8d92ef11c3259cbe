-- string.format over a grid of conversions, flags, widths and values.
local ints = {0, 1, -1, 42, -42, 255, 65535, 2^31, -(2^31), math.maxinteger, math.mininteger, 3.0, -0.0}
local floats = {0.0, -0.0, 1.0, -1.0, 0.1, 1/3, -2/3, 123.456, 1e15, 1e16, 1e100, 1e-5, 1e-300,
  5e-324, 1.7976931348623157e308, 2^53, 2^63, 1/0, -1/0, 0/0, 3, -7, 0.5, 2.5, 1e21, 123456789012}
local flagsets = {"", "-", "+", " ", "#", "0", "-+", "+0", " 0", "#0", "-#"}
local widths = {"", "1", "8", "25"}
local precs = {"", ".0", ".1", ".3", ".10", ".17"}
local function try(fmt, v)
  local ok, r = pcall(string.format, fmt, v)
  return ok and ("[" .. r .. "]") or ("E:" .. r)
end
for _, conv in ipairs{"d", "i", "u", "x", "X", "o", "c"} do
  for _, fl in ipairs(flagsets) do
    for _, w in ipairs(widths) do
      for _, pr in ipairs{"", ".0", ".3"} do
        local fmt = "%" .. fl .. w .. pr .. conv
        local out = {}
        for _, v in ipairs(conv == "c" and {65, 97, 48} or ints) do out[#out + 1] = try(fmt, v) end
        print(fmt, table.concat(out, " "))
      end
    end
  end
end
for _, conv in ipairs{"f", "F", "e", "E", "g", "G", "a", "A"} do
  for _, fl in ipairs(flagsets) do
    for _, w in ipairs(widths) do
      for _, pr in ipairs(precs) do
        local fmt = "%" .. fl .. w .. pr .. conv
        local out = {}
        for _, v in ipairs(floats) do out[#out + 1] = try(fmt, v) end
        print(fmt, table.concat(out, " "))
      end
    end
  end
end
for _, fmt in ipairs{"%s", "%10s", "%-10s", "%.2s", "%10.2s", "%.0s", "%99s", "%.99s"} do
  local out = {}
  for _, v in ipairs{"", "abc", 12, 1.5, true, nil, string.rep("x", 120)} do out[#out + 1] = try(fmt, v) end
  print(fmt, table.concat(out, " "))
end
local out = {}
for _, v in ipairs{0, 1, -1, math.maxinteger, math.mininteger, 0.0, -0.0, 1.5, -1e-300, 2^63, 1/0, -1/0, 1e308, 5e-324} do
  out[#out + 1] = string.format("%q", v)
end
print(table.concat(out, " "))
local all = {} for i = 0, 255 do all[#all + 1] = string.char(i) end
print(string.format("%q", table.concat(all)))
print(string.format("%q", "\0001\0a\r\n\t\\\"'"))
print(string.format("%-5d|%5s|%%|%c|%5.1f", 7, "ab", 66, 3.14159))
print(string.format("no conversions"), string.format("%%"), string.format(""))
print(pcall(string.format, "%10.3q", "x"), pcall(string.format, "%w", 1))
