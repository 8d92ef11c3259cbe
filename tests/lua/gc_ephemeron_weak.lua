-- Weak tables as lua5.4 collects them: weak-key tables are ephemerons (a
-- value is alive only while its key is, through chains and cycles), a
-- fully weak table lets a string key die with its entry, weak values go
-- before their finalizers run while weak keys stay until the next cycle,
-- and collectgarbage() called from a finalizer fails.
local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- a chain of 100 keys, each value holding the previous key
local a = setmetatable({}, {__mode = "k"})
local x
for i = 1, 100 do local n = {}; a[n] = {k = {x}}; x = n end
collectgarbage()
local n, i = x, 0
while n do n = a[n].k[1]; i = i + 1 end
print("chain kept", i, count(a))
x = nil
collectgarbage()
print("chain gone after one cycle", count(a), next(a))

-- key <-> value cycles, a value pointing at its own key
local e = setmetatable({}, {__mode = "k"})
do
  local k1, k2 = {}, {}
  e[k1] = k2
  e[k2] = k1
  local k3 = {}
  e[k3] = {k3}
end
collectgarbage()
print("cycles gone", count(e))
local keep = {}
e[keep] = {"value of a live key"}
e[{}] = keep
collectgarbage()
print("live key kept", count(e), e[keep][1])

-- a value reachable from a live key's value keeps its own entry
local k4 = {}
do
  local inner = {}
  e[k4] = inner
  e[inner] = "reached through k4"
end
collectgarbage()
print("reached", count(e), e[e[k4]])
k4 = nil
collectgarbage()
print("released", count(e))

-- fully weak table with long string keys: a string key dies with its entry
collectgarbage()
collectgarbage()
local m = collectgarbage("count")
local kv = setmetatable({}, {__mode = "kv"})
kv[string.rep("a", 2^20)] = 25
kv[string.rep("b", 2^20)] = {}
kv[{}] = 14
print("big", collectgarbage("count") > m + 2^11)
collectgarbage()
print("one string freed", collectgarbage("count") < m + 2^11 + 2^9)
local k, v = next(kv)
print("kept", #k, k:sub(1, 1), v, next(kv, k))
kv[k] = nil
k = nil
collectgarbage()
print("both freed", collectgarbage("count") < m + 2^9)

-- weak values are cleared before the finalizer runs, weak keys are not
local wv = setmetatable({}, {__mode = "v"})
local wk = setmetatable({}, {__mode = "k"})
local seen
do
  local obj = setmetatable({}, {__gc = function(o)
    seen = {wv[1] == nil, wk[o] == "still here"}
  end})
  wv[1] = obj
  wk[obj] = "still here"
end
collectgarbage()
print("in finalizer: value cleared, key kept", seen[1], seen[2])
print("after finalizer", wv[1], count(wk))
collectgarbage()
print("next cycle", count(wk))

-- collectgarbage inside a finalizer returns fail
local res = {}
do
  setmetatable({}, {__gc = function()
    res = {collectgarbage(), collectgarbage("count"), collectgarbage("step"),
           collectgarbage("isrunning"), collectgarbage("incremental")}
  end})
end
collectgarbage()
print("from a finalizer", #res, res[1], res[2], res[3], res[4], res[5])
print("outside again", collectgarbage("isrunning"), type(collectgarbage("count")))
