-- Bitwise operators and their conversion errors.
print(0xF0 & 0x3C, 0xF0 | 0x0F, 0xF0 ~ 0xFF, ~0, ~1)
print(1 << 0, 1 << 1, 1 << 62, 1 << 63, 1 << 64, 1 << 100)
print(-1 >> 0, -1 >> 1, -1 >> 63, -1 >> 64, 256 >> -2, 1 << -70)
print(3.0 & 1, 2^53 | 0, pcall(function() return "3" | 0 end))
print(math.type(3.0 & 1), math.type(2^53 | 0))
print(pcall(function() return 1.5 & 1 end))
print(pcall(function() return 2^63 | 0 end))
print(pcall(function() return "1.5" | 0 end))
print(pcall(function() return "abc" | 0 end))
print(pcall(function() return {} | 0 end))
print(pcall(function() return 1 & nil end))
local f = 1.5
print(pcall(function() return f << 1 end))
local big = 1e100
print(pcall(function() return ~big end))
print(0x7fffffffffffffff ~ math.mininteger)
print(~math.mininteger, ~math.maxinteger)
for i = 0, 8 do io.write((1 << i) | (1 << (8 - i)), " ") end
print()
local x = 0
for i = 1, 64, 3 do x = x | (1 << (i - 1)) end
print(x, string.format("%x", x))
print(5 // 0.0 == math.huge, -(2^63) | 0)
print(pcall(function() return (-(2^63) - 1025) | 0 end))
