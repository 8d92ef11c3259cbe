-- math.random with a fixed seed gives lua5.4's xoshiro256** sequence.
math.randomseed(42)
local t = {}
for i = 1, 10 do t[i] = math.random(1, 100) end
print(table.concat(t, " "))
math.randomseed(42)
local t2 = {}
for i = 1, 10 do t2[i] = math.random(1, 100) end
print(table.concat(t2, " ") == table.concat(t, " "))
math.randomseed(42)
for i = 1, 5 do io.write(string.format("%.17g ", math.random())) end
print()
math.randomseed(42)
for i = 1, 5 do io.write(math.random(10), " ") end
print()
math.randomseed(42)
for i = 1, 3 do io.write(math.random(0), " ") end
print()
math.randomseed(7, 3)
for i = 1, 5 do io.write(math.random(-5, 5), " ") end
print()
math.randomseed(0)
print(math.random(1000000), math.random(math.mininteger, math.maxinteger))
math.randomseed(123)
local inrange = true
for i = 1, 10000 do
  local r = math.random(3, 7)
  if r < 3 or r > 7 or math.type(r) ~= "integer" then inrange = false end
  local f = math.random()
  if f < 0 or f >= 1 then inrange = false end
end
print(inrange)
math.randomseed(99)
local counts = {0, 0, 0}
for i = 1, 3000 do local r = math.random(3) counts[r] = counts[r] + 1 end
print(counts[1], counts[2], counts[3])
print(math.random(5, 5))
print(pcall(math.random, 2, 1))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, 1.5))
print(pcall(math.randomseed, 2.5))
math.randomseed(2.0)
print(math.random(100))
math.randomseed(-1)
print(math.random(100), math.random(100))
