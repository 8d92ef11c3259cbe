-- Floor division and modulo with negative operands, division by zero.
local vals = {7, -7}
local divs = {3, -3}
for _, a in ipairs(vals) do
  for _, b in ipairs(divs) do
    print(a, b, a // b, a % b, a / b)
  end
end
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2)
print(5.3 % 1 < 0.31, -0.5 % 1)
print(1 / 0, -1 / 0, 0 / 0 ~= 0 / 0)
print(1.0 // 0, -1 // 0.0, 1 % 0.0 ~= 1 % 0.0)
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
local zero = 0
print(pcall(function() return 10 // zero end))
print(pcall(function() return 10 % zero end))
print(3 % math.mininteger, math.mininteger % 3)
print(-3 % 5, 3 % -5, -3.0 % 5, 3.0 % -5)
print(0 % 5, -0.0 % 5)
print(6 // 2, 6 // 2.0, math.type(6 // 2), math.type(6 // 2.0))
print(2^0.5 // 1, 10 // 3.5)
