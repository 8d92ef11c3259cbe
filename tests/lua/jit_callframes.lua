-- Calls that traces do not inline (functions with loops, closures) run in
-- frames the trace makes, and returns past a loop's function continue in
-- the caller's code. Also setmetatable in traces.

-- 1. an outer loop calling a function with a loop, two call sites
local function sum_to(n)
  local s = 0
  for i = 1, n do s = s + i end
  return s
end
local acc = 0
for i = 1, 3000 do
  acc = acc + sum_to(i % 7)
  if i % 3 == 0 then acc = acc - sum_to(2) end
end
print("sum_to", acc)

-- 2. several results, early returns, and results used as arguments
local function find(t, x)
  for i = 1, #t do
    if t[i] == x then return i, t[i] * 2 end
  end
  return nil, "absent"
end
local data = {}
for i = 1, 50 do data[i] = i * 3 end
local hits, misses, last = 0, 0, nil
for i = 1, 4000 do
  local k, v = find(data, i % 160)
  if k then hits = hits + k + v else misses = misses + 1; last = v end
end
print("find", hits, misses, last)

-- 3. three levels of functions with loops
local function inner(n) local s = 0; for j = 1, n do s = s + j * 2 end; return s end
local function middle(n) local s = 0; for j = 1, n do s = s + inner(j) end; return s end
local function outer(n) local s = 0; for j = 1, n do s = s + middle(j % 5) end; return s end
local total = 0
for i = 1, 300 do total = total + outer(i % 9) end
print("levels", total)

-- 4. the callee replaced in the middle of the loop
local function f1(n) local s = 0; for j = 1, n do s = s + j end; return s end
local function f2(n) local s = 1; for j = 1, n do s = s * 2 end; return s end
local fs = { f1 }
local r = 0
for i = 1, 2000 do
  if i == 1200 then fs[1] = f2 end
  r = r + fs[1](i % 6)
end
print("replaced", r)

-- 5. errors raised in a called function at the N-th call, caught
local function risky(n)
  local s = 0
  for j = 1, n do
    s = s + j
    if s == 28 and n == 7 then error("boom at " .. n) end
  end
  return s
end
local ok_count, errs, msg = 0, 0, nil
for i = 1, 2000 do
  local ok, res = pcall(function() return risky(i % 8) end)
  if ok then ok_count = ok_count + res else errs = errs + 1; msg = res end
end
print("errors", ok_count, errs, msg)

-- 6. an error not caught inside the loop gets the right traceback line
local function checked(n)
  for j = 1, n do
    if j > 100 then error("too big") end
  end
  return n
end
local ok, e = pcall(function()
  local s = 0
  for i = 1, 5000 do s = s + checked(i // 40) end
  return s
end)
print("uncaught", ok, e)

-- 7. types changing in the callee's results
local function mixed(i)
  local s = 0
  for j = 1, 3 do s = s + j end
  if i % 500 < 250 then return s else return s + 0.5 end
end
local m = 0
for i = 1, 3000 do m = m + mixed(i) end
print("mixed", m)

-- 8. yields from a called function with a loop, inside a coroutine
local function producer(n)
  for j = 1, n do coroutine.yield(j) end
  return n
end
local co = coroutine.wrap(function()
  local s = 0
  for i = 1, 400 do s = s + producer(i % 4) end
  coroutine.yield("done " .. s)
end)
local ys = 0
while true do
  local v = co()
  if type(v) == "string" then print("yields", ys, v) break end
  ys = ys + v
end

-- 9. functions made by load() in a loop, garbage collected while traces run
local made = 0
for round = 1, 40 do
  local g = load("local n = ... local s = 0 for j = 1, n do s = s + j end return s")
  for i = 1, 200 do made = made + g(i % 5) end
  g = nil
  if round % 10 == 0 then collectgarbage() end
end
print("load", made)

-- 10. open upvalues in the called function's frame
local function counter(n)
  local c = 0
  local function bump() c = c + 1 end
  for j = 1, n do bump() end
  return c
end
local cs = 0
for i = 1, 1500 do cs = cs + counter(i % 5) end
print("upvalues", cs)

-- 11. setmetatable: constructors, nil, protected metatables, __gc
local P = {}
P.__index = P
local function newp(x) return setmetatable({ x = x }, P) end
function P:get() return self.x end
local ps = 0
for i = 1, 3000 do ps = ps + newp(i):get() end
print("ctor", ps)
local plain = 0
for i = 1, 2000 do
  local t = setmetatable({}, i % 2 == 0 and P or nil)
  if getmetatable(t) == P then plain = plain + 1 end
end
print("nil mt", plain)
local Prot = { __metatable = "locked" }
local perr, pmsg = 0, nil
for i = 1, 2000 do
  local t = {}
  if i % 700 == 0 then setmetatable(t, Prot) end
  local ok2, m2 = pcall(setmetatable, t, P)
  if not ok2 then perr = perr + 1; pmsg = m2 end
end
print("protected", perr, pmsg)
local again = 0
for i = 1, 2000 do
  local t = setmetatable({}, P)
  local ok3 = pcall(function() return setmetatable(t, P) end)
  if ok3 then again = again + 1 end
end
print("twice", again)
local finalized = 0
local G = { __gc = function() finalized = finalized + 1 end }
for i = 1, 2000 do setmetatable({}, G) end
collectgarbage(); collectgarbage()
print("gc", finalized)
local bad = 0
for i = 1, 2000 do
  local ok4, m4 = pcall(setmetatable, {}, i % 1000 == 0 and 5 or P)
  if not ok4 then bad = bad + 1; if bad == 1 then print(m4) end end
end
print("bad", bad)

-- 12. tail calls from frames the trace made (closures composing closures)
local function compose(f, g) return function(x) return f(g(x)) end end
local function adder(k) return function(x) return x + k end end
local function scaler(k) return function(x) return x * k end end
local ct = 0
for i = 1, 3000 do
  local f = compose(adder(i % 7), scaler(3))
  ct = ct + f(i % 100)
end
print("compose", ct)
local function looped(n) local s = 0; for j = 1, n do s = s + j end; return s end
local function via(n) return looped(n) end
local vt = 0
for i = 1, 3000 do vt = vt + via(i % 9) end
print("tail to a loop", vt)

-- 13. an error after tail calls, with its traceback
local function deep(n)
  for j = 1, 3 do
    if n == 2500 and j == 3 then error("deep " .. n) end
  end
  return n
end
local function mid(n) return deep(n) end
local tb
local dt = 0
for i = 1, 3000 do
  local ok5, v5 = xpcall(mid, debug.traceback, i)
  if ok5 then dt = dt + v5 else tb = v5 end
end
print("traceback", dt)
print(tb)
