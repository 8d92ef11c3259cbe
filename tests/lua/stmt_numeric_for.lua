-- Numeric for: integer, float, negative steps, overflow edges.
local function run(a, b, c)
  local t = {}
  if c then
    for i = a, b, c do t[#t + 1] = tostring(i) if #t > 20 then break end end
  else
    for i = a, b do t[#t + 1] = tostring(i) if #t > 20 then break end end
  end
  return table.concat(t, " ")
end
print(run(1, 5))
print(run(5, 1))
print(run(5, 1, -1))
print(run(1, 10, 3))
print(run(10, 1, -4))
print(run(1.0, 2.0, 0.25))
print(run(1, 2, 0.5))
print(run(0.1, 0.5, 0.1))
print(run(1, 3.5))
print(run(math.maxinteger - 2, math.maxinteger))
print(run(math.mininteger + 2, math.mininteger, -1))
print(run(math.maxinteger - 1, math.maxinteger, 10))
print(run(math.mininteger, math.mininteger + 5, 2))
print(run(1, 0))
print(run(1, math.huge, 2^61))
print(run(-3, -1))
print(run(3, math.mininteger, math.mininteger))
print(run(0, 1e300, 1e299))
print(pcall(run, 1, 10, 0))
print(pcall(run, 1, 10, 0.0))
print(pcall(function() for i = "a", 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, "x" do end end))
for i = 1, 3 do
  local x = i
  i = i * 10    -- changing the control variable copy does not affect the loop
  io.write(x, ":", i, " ")
end
print()
for i = 3, 1 do print("never") end
local count = 0
for i = 1, 1000 do count = count + i end
print(count)
for i = 1.0, 3 do io.write(math.type(i), " ") end
print()
for i = 1, 3.0 do io.write(math.type(i), " ") end
print()
print(run(1, "3"))
