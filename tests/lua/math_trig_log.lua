-- Trigonometric, exponential and logarithmic functions at fixed precision.
local fmt = "%.12f"
local angles = {0, math.pi / 6, math.pi / 4, math.pi / 3, math.pi / 2, math.pi, -math.pi / 4, 2.5}
for _, a in ipairs(angles) do
  print(string.format(fmt .. " " .. fmt .. " " .. fmt .. " " .. fmt, a, math.sin(a), math.cos(a), math.atan(math.sin(a), math.cos(a))))
end
for _, x in ipairs({-1, -0.5, 0, 0.5, 1}) do
  print(string.format("%.12f %.12f %.12f", math.asin(x), math.acos(x), math.atan(x)))
end
for _, x in ipairs({0.001, 0.5, 1, 2, 10, 1000, 1e10}) do
  print(string.format("%.12g %.12g %.12g %.12g", math.log(x), math.log(x, 10), math.log(x, 2), math.exp(math.log(x))))
end
print(math.log(1024, 2), math.log(1e15, 10), math.log(8, 8), math.log(-1) ~= math.log(-1))
print(math.exp(1) == math.exp(1.0), string.format("%.15g", math.exp(-1)))
print(math.tan(0), string.format("%.10f", math.tan(math.pi / 4)))
print(math.sqrt(0), math.sqrt(1e100), math.sqrt(2) ^ 2 == 2, math.sqrt(4) == 2)
