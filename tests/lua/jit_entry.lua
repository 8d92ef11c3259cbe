-- jit_entry.lua: function-entry traces (-Ohotcall). Functions called often
-- from outside a trace (the interpreter, C functions, recursion) get a trace
-- from their first instruction that runs to their return.

-- A callee whose loop starts at its first instruction: its loop trace is
-- also its entry trace. Called from a loop that is being recorded, the call
-- must run in the interpreter (the recorder inlines what it sees).
local function mktree(d, v)
  if d == 0 then return {v = v} end
  return {l = mktree(d - 1, 2 * v), r = mktree(d - 1, 2 * v + 1), v = v}
end
local function walk(t) if not t.l then return t.v end return t.v + walk(t.l) - walk(t.r) end
local function tnode(t, p)
  while p > 1 and t.l do if p % 2 == 0 then t = t.l else t = t.r end p = p // 2 end
  return t
end
local tree = mktree(4, 4)
local n5 = -7
for w13 = 1, 300 do
  local w14 = 0
  while true do
    w14 = w14 + 1
    if w14 > 2 then break end
    tnode(tree, (n5 * w14) % 64).v = (w14 ~ w13)
  end
end
print("tree", walk(tree))

-- A long straight function called from C (sort's comparator) and from the
-- interpreter: enough work per call for an entry trace.
local function score(p)
  local a, b, c = p.x * 3 + p.y, p.y * 2 - p.x, p.x + p.y
  local d = a * b - c
  local e = (a + b + c + d) % 97
  local f = e * e + a - b
  local g = f // 3 + c * 2
  return g + e - d % 5
end
local pts = {}
for i = 1, 300 do pts[i] = {x = (i * 37) % 101, y = (i * 53) % 89} end
table.sort(pts, function(p, q)
  local sp, sq = score(p), score(q)
  if sp ~= sq then return sp < sq end
  if p.x ~= q.x then return p.x < q.x end
  return p.y < q.y
end)
local acc = 0
for i = 1, #pts, 7 do acc = acc + score(pts[i]) * i end
print("sorted", pts[1].x, pts[1].y, pts[#pts].x, pts[#pts].y, acc)

-- Types change under the entry trace: integers, floats, strings coerced.
local function mix(a, b)
  local s = a + b
  local d = a - b
  local m = a * b
  local q = s * d + m
  local r = q - s + d * 2
  return r + a * 3 - b
end
local out = {}
for i = 1, 200 do
  local a, b = i, i % 7
  if i > 120 then a = i + 0.5 end
  if i > 170 then b = tostring(i % 5) end
  out[#out + 1] = mix(a, b)
end
print("mix", out[1], out[100], out[130], out[180], out[200])

-- Errors at the N-th call of a traced function, with a traceback.
local calls = 0
local function risky(t, k)
  calls = calls + 1
  local v = t[k] * 2 + 1
  local w = v * v - t[k]
  local x = w + v * 3
  local y = x - w + v
  if calls == 150 then t = nil end
  return y + t[k]
end
local data = {1, 2, 3, 4, 5}
local ok, err
local sum = 0
for i = 1, 200 do
  ok, err = pcall(risky, data, i % 5 + 1)
  if not ok then print("error at call", calls, err) break end
  sum = sum + err
end
print("sum", sum)
local tb
xpcall(function()
  for i = 1, 100 do
    calls = 149
    risky(data, 1)
  end
end, function(m) tb = debug.traceback(m, 1) end)
print(tb)

-- Recursion: calls of the traced function run through the interpreter's
-- call, deep recursion included (Lua stack, not the C stack).
local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end
local function tak(x, y, z)
  if y >= x then return z end
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
end
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print("fib", fib(20), "tak", tak(12, 8, 4), "depth", depth(20000))
local function sumto(n)
  if n == 0 then return 0 end
  local a = n * 2
  local b = a - n
  local c = b + a - n * 2
  return c + sumto(n - 1)
end
print("sumto", sumto(5000))
print("overflow", pcall(sumto, 1e7))

-- Calls from a coroutine: a traced function's callee yields.
local function producer(n)
  local function step(i)
    local a = i * 2
    local b = a + 1
    local c = a * b - i
    local d = c % 13 + b
    coroutine.yield(d)
    return d + a + b + c
  end
  local t = 0
  for i = 1, n do t = t + step(i) end
  return t
end
local co = coroutine.wrap(producer)
local got = {}
local r = co(60)
while type(r) == "number" and #got < 60 do got[#got + 1] = r; r = co() end
print("coroutine", #got, got[1], got[60], r)

-- Closures of one prototype with different upvalues share its entry trace.
local function maker(k)
  return function(x)
    local a = x + k
    local b = a * k
    local c = b - x
    local d = c * 2 + a
    return d - b + k
  end
end
local fs = {maker(1), maker(2), maker(3.5)}
local tot = 0
for i = 1, 300 do tot = tot + fs[i % 3 + 1](i) end
print("closures", tot)
