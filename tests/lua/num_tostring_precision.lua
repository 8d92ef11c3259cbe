-- %.14g formatting edge cases for floats printed by print/tostring.
local xs = {
  0.1 + 0.2, 0.1 + 0.7, 1 - 0.9, 100 * 1.1, 1e21, 1e-7, 123456789012345.6, 12345678901234.56,
  99999999999999.9, 999999999999999.9, 0.30000000000000004, 2^-10, 2^70, 1/7, 22/7, 1e14 + 0.5,
  -1.5e-10, 5e-324 * 2, 1.7976931348623157e308, 3.0, -3.0, 1e100 / 3, 2^24 + 0.5,
}
for i, x in ipairs(xs) do print(i, x, tostring(x) == string.format("%.14g", x) or tostring(x)) end
print(1e15, 1e16, 1.5e15, 123e-20)
print(10 / 3 .. "", (2^63) .. "", -(2^63) .. "")
print(string.format("%.14g", 2^63), string.format("%.14g", 100), string.format("%.14g", 100.0))
