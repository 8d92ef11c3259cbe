-- Many coroutines, deep recursion inside a coroutine, yields from nested calls.
local cos = {}
for i = 1, 1000 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end)
end
local sum = 0
for i = 1, 1000 do local _, v = coroutine.resume(cos[i], i) sum = sum + v end
for i = 1, 1000 do local _, v = coroutine.resume(cos[i], 1) sum = sum + v end
print(sum)
local deep = coroutine.create(function()
  local function rec(n) if n == 0 then coroutine.yield("bottom") return 0 end return 1 + rec(n - 1) end
  return rec(5000)
end)
print(coroutine.resume(deep))
print(coroutine.resume(deep))
local function nested_yield(n)
  if n == 0 then return coroutine.yield("from depth") end
  return nested_yield(n - 1)
end
local c = coroutine.wrap(function() local v = nested_yield(100) return "resumed with " .. v end)
print(c())
print(c("value"))
-- coroutine inside coroutine
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function()
    coroutine.yield("inner 1")
    coroutine.yield("inner 2")
  end)
  coroutine.yield(inner())
  coroutine.yield("outer")
  coroutine.yield(inner())
end)
print(outer(), outer(), outer())
-- metamethods that yield
local mt = {__add = function(a, b) return coroutine.yield("in __add") end,
            __index = function(t, k) return coroutine.yield("in __index " .. k) end}
local obj = setmetatable({}, mt)
local cm = coroutine.wrap(function() local r = obj + 1 local s = obj.key return r, s end)
print(cm())
print(cm(42))
print(cm("fieldval"))
-- yield from within a for-in iterator
local it = coroutine.wrap(function()
  local acc = {}
  for k in (function() local i = 0 return function() i = i + 1 if i <= 3 then coroutine.yield(i) return i end end end)() do acc[#acc + 1] = k end
  return table.concat(acc, ",")
end)
print(it(), it(), it(), it())
-- table.sort with a comparator cannot yield
local ok, err = pcall(coroutine.wrap(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end))
print(ok, err)
