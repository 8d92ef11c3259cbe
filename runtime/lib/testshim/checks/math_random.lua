-- math.random sequences must equal lua5.4's for the same seeds.
local ranges = {{1, 100}, {1, 6}, {0, 1}, {-10, 10}, {1, 2^31}, {0, 2^53}, {1, 3}, {1, 1000000007},
  {math.mininteger, math.maxinteger}, {math.mininteger, 0}, {-1, math.maxinteger}, {5, 5}}
for seed = -3, 40 do
  math.randomseed(seed)
  local out = {}
  for _, r in ipairs(ranges) do out[#out + 1] = math.random(r[1], r[2]) end
  for i = 1, 3 do out[#out + 1] = math.random(7) end
  out[#out + 1] = math.random(0)
  out[#out + 1] = string.format("%.17g", math.random())
  print(seed, table.concat(out, " "))
end
for _, s in ipairs{{1, 2}, {0, -1}, {math.maxinteger, math.mininteger}, {42, 42}} do
  print(math.randomseed(s[1], s[2]))
  local out = {}
  for i = 1, 20 do out[i] = math.random(1, 10) end
  print(table.concat(out, " "), math.random(0), math.random())
end
math.randomseed(2024)
local hist = {}
for i = 1, 100000 do local v = math.random(1, 10) hist[v] = (hist[v] or 0) + 1 end
print(table.concat(hist, " "))
local sum = 0 for i = 1, 1000 do sum = sum + math.random() end print(string.format("%.12f", sum))
print(pcall(math.random, 2, 1), pcall(math.random, 1, 2, 3), pcall(math.random, 0.5))
print(pcall(math.randomseed, "x"), pcall(math.randomseed, 1.5))
print(math.randomseed(3.0), math.randomseed("7"))
local a, b = math.randomseed() print(math.type(a), math.type(b))
