-- math library: integer/float results, errors, random sequences for fixed seeds
local function p(...) print(pcall(...)) end
p(math.modf, 3.5) p(math.modf, -3.5) p(math.modf, 5) p(math.modf, 1/0) p(math.modf, -1/0) p(math.modf, 0/0) p(math.modf, "2.5")
p(math.tointeger, "3") p(math.tointeger, 3.0) p(math.tointeger, 3.5) p(math.tointeger, "x") p(math.tointeger) p(math.tointeger, "0x10")
p(math.floor, 3.5) p(math.floor, -3.5) p(math.floor, 1e100) p(math.ceil, 3.2) p(math.floor, "3.7") p(math.floor, 2^62) p(math.ceil, -0.5)
p(math.abs, math.mininteger) p(math.abs, -2.5) p(math.abs, -0.0) p(math.abs, "-3")
p(math.fmod, 7, 3) p(math.fmod, -7, 3) p(math.fmod, 7, 0) p(math.fmod, 7.0, 0) p(math.fmod, math.mininteger, -1) p(math.fmod, 7, -3.5) p(math.fmod, "7", "2")
p(math.max, 1, 2.5, 2) p(math.max) p(math.min, 3, 1, 1.0) p(math.max, 1, "x") p(math.max, "10", 9)
p(math.type, 1) p(math.type, 1.0) p(math.type, "1") p(math.type)
p(math.ult, 1, -1) p(math.ult, 1.0, 2) p(math.ult, 1.5, 2)
p(math.log, 8, 2) p(math.log, 100, 10) p(math.log, 27, 3) p(math.log, 0) p(math.exp, 1) p(math.sqrt, -1)
p(math.atan, 1, 2) p(math.atan, 1) p(math.sin, 1) p(math.cos, 1) p(math.tan, 1) p(math.asin, 0.5) p(math.acos, 0.5)
print(math.huge, -math.huge, math.pi, math.maxinteger, math.mininteger)
p(math.random, 1, 2, 3)
p(math.random, 1.5)
p(math.random, 3, 1)
for _, seed in ipairs{0, 1, 42, -7, 123456789, math.maxinteger, math.mininteger} do
  print(math.randomseed(seed))
  local t = {}
  for i = 1, 8 do t[#t+1] = math.random(1, 100) end
  for i = 1, 3 do t[#t+1] = math.random() end
  for i = 1, 3 do t[#t+1] = math.random(0) end
  for i = 1, 3 do t[#t+1] = math.random(10) end
  for i = 1, 3 do t[#t+1] = math.random(-1000, 1000) end
  for i = 1, 3 do t[#t+1] = math.random(math.mininteger, math.maxinteger) end
  for i = 1, 3 do t[#t+1] = math.random(0, 2^40) end
  for i = 1, 3 do t[#t+1] = math.random(7, 7) end
  print(table.concat(t, " "))
end
print(math.randomseed(5, 9), math.random(1000))
print(pcall(math.randomseed, 1, 2.5))
print(math.type(math.randomseed()))
