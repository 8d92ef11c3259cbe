-- 100,000 coroutines alive at once, each suspended in a yield (inside a
-- nested Lua call and a pcall), then all finished.  A coroutine costs no
-- C stack, so this fits in a small address space (the ctest runs it under
-- ulimit -v 2000000 too).
local N = 100000
local cos = {}
local function body(i)
  local function inner(x) return coroutine.yield(x) + i end
  local ok, v = pcall(inner, i * 2)
  return ok and v
end
local sum = 0
for i = 1, N do
  local co = coroutine.create(body)
  local _, v = coroutine.resume(co, i)
  sum = sum + v
  cos[i] = co
end
print(sum, coroutine.status(cos[1]), coroutine.status(cos[N]))
collectgarbage()
local total = 0
for i = N, 1, -1 do
  local _, v = coroutine.resume(cos[i], 1)
  total = total + v
end
print(total, coroutine.status(cos[1]), coroutine.status(cos[N]))
