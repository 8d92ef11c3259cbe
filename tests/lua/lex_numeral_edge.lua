-- More numeral edge cases, including conversions through tonumber and load.
local srcs = {"0", "00", "0.0", ".0", "0.", "1e0", "1E+0", "1e-0", "0x0", "0X1F", "0x1.8p1", "0x.8p-1",
  "0xA", "0xa.8", "1e308", "1e309", "2.2250738585072014e-308", "4.9e-324", "9223372036854775807",
  "9223372036854775808", "0x8000000000000000", "0xFFFFFFFFFFFFFFFFF", "123456789012345678901234567890",
  "3.14159265358979323846", "1_000", "1e", "0x1p", ".e1", "0x.p1", "1..2", "1.2.3"}
for _, s in ipairs(srcs) do
  local f = load("return " .. s)
  local v = f and f()
  print(s, tostring(v), math.type(v), tonumber(s))
end
print(tonumber("  0x10  "), tonumber("0x1P4"), tonumber("-.5"), tonumber("+5"), tonumber("+-5"))
print(tonumber("1e+"), tonumber("infinity"), tonumber("0b101"), tonumber("5 "), tonumber("\t5\n"))
