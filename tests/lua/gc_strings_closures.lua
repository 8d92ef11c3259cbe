-- Allocation-heavy string building and closure creation stay within memory.
collectgarbage()
local base = collectgarbage("count")
local s = {}
for i = 1, 200 do
  local parts = {}
  for j = 1, 200 do parts[j] = tostring(i * j) end
  s[i % 10 + 1] = table.concat(parts, "-")
end
print(#s, #s[1] > 0)
local fs = {}
for i = 1, 200000 do
  local v = i
  fs[i % 100 + 1] = function() return v end
end
print(fs[1](), fs[100]())
local big = string.rep("x", 100000)
for i = 1, 50 do big = big:sub(2) .. "y" end
print(#big, big:sub(-3))
big, s, fs = nil, nil, nil
collectgarbage()
collectgarbage()
print(collectgarbage("count") < base + 2000)
local co_count = 0
for i = 1, 20000 do
  local co = coroutine.wrap(function() coroutine.yield(i) end)
  co_count = co_count + co()
end
print(co_count)
print(type(collectgarbage("step", 0)))
local t = {}
for i = 1, 100000 do t[i] = {x = i} end
for i = 1, 100000 do t[i] = nil end
t = nil
collectgarbage()
print(collectgarbage("count") < base + 2000)
