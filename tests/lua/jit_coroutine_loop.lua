-- Hot loops that resume and yield coroutines (traces must stop at yields).
local gen = coroutine.wrap(function() local i = 0 while true do i = i + 1 coroutine.yield(i) end end)
local s = 0
for _ = 1, 5000 do s = s + gen() end
print(s)
local co = coroutine.create(function(a)
  local total = 0
  for i = 1, 3000 do total = total + a a = coroutine.yield(total) end
  return "end", total
end)
local last
local ok, v = coroutine.resume(co, 1)
for i = 2, 3001 do ok, v, last = coroutine.resume(co, i % 3) end
print(ok, v, last, coroutine.status(co))
local count = 0
for i = 1, 1000 do
  local c = coroutine.wrap(function(x) local y = coroutine.yield(x * 2) return x + y end)
  count = count + c(i) + c(1)
end
print(count)
local inside = coroutine.wrap(function()
  local acc = 0
  for i = 1, 4000 do acc = acc + i if i % 1000 == 0 then coroutine.yield(acc) end end
  return "done " .. acc
end)
print(inside(), inside(), inside(), inside(), inside())
