-- Suspended coroutines whose frames hold open upvalues become garbage
-- together with (or before) the closures sharing those upvalues; the
-- collector frees them in any order, and closures that stay alive keep
-- the values (run it under the sanitizers: a freed upvalue must not be
-- touched when its thread is freed).
local keep = {}
for round = 1, 3 do
  for i = 1, 50 do
    local co = coroutine.create(function(n)
      local a, b = n, {n}
      local get = function() return a + b[1] end
      local set = function(v) a = v end
      coroutine.yield(get, set)
      return a
    end)
    local _, get, set = coroutine.resume(co, i)
    if i % 10 == 0 then keep[#keep + 1] = {get = get, set = set, n = i} end
  end
  collectgarbage()
  collectgarbage()
end
local sum = 0
for _, k in ipairs(keep) do
  k.set(k.n * 2)
  sum = sum + k.get()
end
print(#keep, sum)
-- self-referencing coroutines with open upvalues
for i = 1, 20 do
  local co
  co = coroutine.create(function()
    local x = co
    local f = function() return x end
    coroutine.yield(f)
  end)
  coroutine.resume(co)
end
collectgarbage()
print("done", collectgarbage("count") > 0)
