-- Integer wrap-around and the special integer cases.
print(math.maxinteger + 1 == math.mininteger)
print(math.maxinteger + 1, math.mininteger - 1)
print(math.maxinteger * 2, math.mininteger * -1)
print(math.mininteger // -1, math.mininteger % -1)
print(-math.mininteger, math.abs(math.mininteger))
print(math.maxinteger + 1.0, math.maxinteger + 0.0 == 2^63)
print(math.maxinteger // 1, math.maxinteger // -1)
print(1 << 63, (1 << 63) - 1, 1 << 64, 1 << -1, -1 >> 1)
print(math.mininteger == -2^63, math.mininteger < -2^63)
print(5000000000 * 5000000000)
print(math.ult(1, -1), math.ult(-1, 1), math.ult(0, 0))
print(0x7fffffffffffffff + 0x7fffffffffffffff)
local x = math.maxinteger
x = x + 1
print(x, math.type(x))
local acc = 1
for _ = 1, 70 do acc = acc * 3 end
print(acc)
