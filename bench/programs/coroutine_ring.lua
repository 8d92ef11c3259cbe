-- coroutine_ring.lua: a ring of coroutines passing a token around: each
-- resume hands the token to the next coroutine, which decrements it and
-- yields (resume/yield switching, as in the classic thread-ring program).
-- bench-group: coroutines
-- bench-quick: 2000
-- usage: coroutine_ring.lua [n]   (default 4000000 token passes)

local n = tonumber(arg and arg[1]) or 4000000
local RING = 503

local ring = {}
for id = 1, RING do
  ring[id] = coroutine.create(function(token)
    while true do
      if token == 0 then return id end
      token = coroutine.yield(token - 1)
    end
  end)
end

local resume = coroutine.resume
local token, id = n, 1
local passes = 0
while true do
  local ok, v = resume(ring[id], token)
  if not ok then error(v) end
  passes = passes + 1
  if coroutine.status(ring[id]) == "dead" then
    print("token ended at", v, "after", passes, "passes")
    break
  end
  token = v
  id = id % RING + 1
end

-- the same ring with wrap and a chained handoff: each coroutine resumes
-- the next one itself (nested resumes, one level at a time)
local m = math.floor(n / 8)
local count = 0
local wrapped = {}
for k = 1, 64 do
  wrapped[k] = coroutine.wrap(function(t)
    while true do
      count = count + 1
      t = coroutine.yield(t - 1)
    end
  end)
end
local t = m
local k = 1
while t > 0 do
  t = wrapped[k](t)
  k = k % 64 + 1
end
print("wrap ring", count)
