-- Integer for loops near the integer limits: 5.4 precomputes the iteration count.
local function collect(a, b, c)
  local t = {}
  for i = a, b, c do t[#t + 1] = i if #t > 10 then t[#t + 1] = "..." break end end
  return #t .. ": " .. table.concat(t, " ")
end
print(collect(math.maxinteger - 5, math.maxinteger, 2))
print(collect(math.maxinteger - 5, math.maxinteger, 3))
print(collect(math.mininteger + 5, math.mininteger, -2))
print(collect(1, math.maxinteger, math.maxinteger // 2))
print(collect(math.mininteger, math.maxinteger, math.maxinteger))
print(collect(math.maxinteger, math.mininteger, math.mininteger))
print(collect(0, -1, math.maxinteger))
print(collect(math.maxinteger, math.maxinteger, 1))
print(collect(math.mininteger, math.mininteger, -1))
print(collect(1, 3.7, 1))
print(collect(1, -math.huge, -1))
print(collect(-3, 2.5, 2))
print(collect(1, 2^63, 2^62))
print(collect(3, 1.5, -1))
print(collect(1, math.mininteger + 0.0, 1))
print(collect(0, 0.5, 1), collect(0, -0.5, -1))
local n = 0
for i = math.maxinteger - 1000, math.maxinteger do n = n + 1 end
print(n)
n = 0
for i = math.mininteger, math.mininteger + 999 do n = n + 1 end
print(n)
