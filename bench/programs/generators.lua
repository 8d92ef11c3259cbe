-- generators.lua: coroutine.wrap generators composed into pipelines
-- (range -> map -> filter -> take), a recursive permutation generator and
-- an in-order tree walk that yields from nested calls.
-- bench-group: coroutines
-- bench-quick: 1
-- usage: generators.lua [n]   (default 24 rounds)

local n = tonumber(arg and arg[1]) or 24
local yield, wrap = coroutine.yield, coroutine.wrap

local function range(a, b) return wrap(function() for i = a, b do yield(i) end end) end
local function map(f, g) return wrap(function() for v in g do yield(f(v)) end end) end
local function filter(p, g) return wrap(function() for v in g do if p(v) then yield(v) end end end) end
local function take(k, g)
  return wrap(function()
    for v in g do
      if k <= 0 then return end
      k = k - 1
      yield(v)
    end
  end)
end

local function permgen(a, k)
  k = k or #a
  if k <= 1 then
    yield(a)
  else
    for i = 1, k do
      a[k], a[i] = a[i], a[k]
      permgen(a, k - 1)
      a[k], a[i] = a[i], a[k]
    end
  end
end
local function permutations(a) return wrap(function() permgen(a) end) end

local function insert(node, v)
  if not node then return {v = v} end
  if v < node.v then node.l = insert(node.l, v) else node.r = insert(node.r, v) end
  return node
end
local function walk(node)
  if node then
    walk(node.l)
    yield(node.v)
    walk(node.r)
  end
end

local total = 0
for round = 1, n do
  local s = 0
  for v in take(20000, filter(function(x) return x % 3 ~= 0 end,
                             map(function(x) return x * x + round end, range(1, 100000)))) do
    s = s + v
  end
  local count, sig = 0, 0
  for p in permutations({1, 2, 3, 4, 5, 6, 7, 8}) do
    count = count + 1
    sig = (sig * 31 + p[1] * 7 + p[8]) % 1000003
  end
  local root, seed = nil, round
  for _ = 1, 4000 do
    seed = (seed * 16807) % 2147483647
    root = insert(root, seed % 100000)
  end
  local prev, sorted, walked = -1, true, 0
  for v in wrap(function() walk(root) end) do
    if v < prev then sorted = false end
    prev = v
    walked = walked + 1
  end
  total = (total + s + count + sig + walked) % 1000000007
  if round == 1 then print("round 1", s, count, sig, walked, sorted) end
end
print("total", total)
