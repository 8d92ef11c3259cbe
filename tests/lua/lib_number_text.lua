-- Numbers turned into text by tostring, '..', string.format and
-- table.concat: integers and the common floats take a fast path that must
-- print exactly what printf("%.14g") / "%g" / "%d" print.

local floats = { 0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3,
  100.0, 1e14, 1e15, 1e16, 123456789012.5, 99999999999999.0, 999999999999999.0,
  1e-4, 1e-5, 1.5e-4, 0.00012345678901234, 2^53, 2^63, -2^63, 3.14159265358979,
  1e100, 1e-300, 5e-324, 1.7976931348623157e308, 12.75, -0.001, 1 / 0, -1 / 0,
  123.456, 0.30000000000000004, 4503599627370495.5, 1e13 + 0.5, 65536.0 / 3 }
for _, x in ipairs(floats) do
  print(tostring(x), x .. "", string.format("%g", x), string.format("%.14g", x),
        string.format("%.3f", x), string.format("%5.1e", x))
end
print((tostring(0 / 0):gsub("^%-", ""))) -- the sign of 0/0 is the machine's
for _, i in ipairs({ 0, 1, -1, 7, -10, 99, 100, 123456789, math.maxinteger,
                     math.mininteger, -9223372036854775807 }) do
  print(tostring(i), i .. "", string.format("%d", i), string.format("%i", i),
        string.format("%5d|%-5d|%05d|%x|%X|%o", i, i, i, i, i, i),
        string.format("%q", i))
end
for i = -50, 50, 7 do io.write(i / 8, " ", i * 0.1, " ", i / 7, " ") end
print()
-- other conversions stay printf's
print(string.format("%q", 0.1), string.format("%q", 1 / 0), string.format("%q", -1 / 0),
      string.format("%q", 0 / 0), string.format("%q", math.mininteger))
print(string.format("%a %A %.3a", 1.0, 0.5, 1 / 3))
print(string.format("[%5.2s][%-5s][%.1s][%s]", "abc", "ab", "xyz", 12.5))
print(string.format("%q", "a\nb\0c\"d\\e\1272"))
print(string.format("100%% %c%c %s %s", 72, 105, true, nil))
print(string.format("%10.4f|%-10.3g|%+d|% d", math.pi, 1e-7, 5, 5))
for _, f in ipairs({ "%", "%5", "%y", "%123d", "%.123f", "%#d", "%q %d" }) do
  local ok, err = pcall(string.format, f, 1)
  print(f, ok, (tostring(err):gsub("^.-:%d+: ", "")))
end
print(pcall(string.format, "%d", 1.5))
print(pcall(string.format, "%d", "x"))
print(pcall(string.format, "%s %s", 1))

-- table.concat with numbers and bad values
print(table.concat({ 1, 2.5, "x", -0.0, 1e100, math.mininteger }, ","))
print(table.concat({ 1, 2, 3 }, ", ", 2, 3), table.concat({}, "x"), table.concat({ "a" }, "x", 2, 1))
print(pcall(table.concat, { 1, {}, 3 }))
print(pcall(table.concat, { 1, 2, nil, 4 }, ",", 1, 4))
print(pcall(table.concat, { true }))

-- tonumber round trips
for _, s in ipairs({ "10", "  10  ", "0x1F", "1e3", "1.5", ".5", "5.", "-0", "0x", "1e",
                     "inf", "nan", " 0x1p4 ", "9223372036854775808", "1 2", "" }) do
  io.write(tostring(tonumber(s)), " ")
end
print()
print(tonumber("z", 36), tonumber("ff", 16), tonumber("777", 8), tonumber("8", 8))
