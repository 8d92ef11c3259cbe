-- jit_recursion.lua: recursive functions run as traces that make and drop
-- real frames (record.c: rec_pushf, rec_popf, rec_tailf): calls and returns
-- of the function's own frames, tail calls, results taken by a tail call,
-- exits in frames the trace made or returned to, and what must stay exact:
-- functions replaced mid-recursion, errors deep down, stack overflow,
-- upvalues, coroutines, types changing.

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
local s = 0
for i = 1, 22 do s = s + fib(i) end
print("fib", s, fib(24))

local function tak(x, y, z)
  if y >= x then return z end
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
end
print("tak", tak(18, 12, 6), tak(12, 8, 4))

local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print("ack", ack(2, 300), ack(3, 5))

-- trees: tables built and walked recursively
local function make(d)
  if d == 0 then return {} end
  d = d - 1
  return {make(d), make(d)}
end
local function check(t)
  if t[1] then return 1 + check(t[1]) + check(t[2]) end
  return 1
end
local total = 0
for d = 4, 12, 2 do total = total + check(make(d)) end
print("trees", total)

-- two results, fixed and all of them
local function divmod(n, d)
  if n < d then return 0, n end
  local q, r = divmod(n - d, d)
  return q + 1, r
end
local qs, rs = 0, 0
for n = 1, 300 do
  local q, r = divmod(n * 7, 13)
  qs, rs = qs + q, rs + r
end
print("divmod", qs, rs, select("#", divmod(50, 7)))

local function count(n, ...)
  if n == 0 then return select("#", ...) end
  return count(n - 1, n, ...)
end
print("varargs", count(20), count(3, "a"))

-- the function replaced while its recursion runs
local walk
local seen = {}
walk = function(n)
  if n == 0 then return 0 end
  if n == 150 then
    local old = walk
    walk = function(m) seen[#seen + 1] = m; return old(m) + 1000 end
  end
  return 1 + walk(n - 1)
end
print("replaced", walk(400), #seen, walk(10))

-- an error raised deep down, at the N-th call
local calls = 0
local function dive(n)
  calls = calls + 1
  if calls % 1500 == 0 then error("deep at " .. n) end
  if n == 0 then return 0 end
  return dive(n - 1) + 1
end
local errs = {}
for round = 1, 40 do
  local ok, e = pcall(dive, 200)
  if not ok then errs[#errs + 1] = e end
end
print("errors", #errs, errs[1])

-- stack overflow: the same error as the interpreter's
local function down(n) return 1 + down(n + 1) end
local ok, e = pcall(down, 1)
print("overflow", ok, (string.gsub(tostring(e), "^.-:%d+: ", "")))

-- open upvalues in the frames that return
local function closures(n, acc)
  if n == 0 then return acc end
  local v = n
  acc[#acc + 1] = function() return v end
  return closures(n - 1, acc)
end
local fs = closures(60, {})
local cs = 0
for i = 1, #fs do cs = cs + fs[i]() end
print("closures", #fs, cs)

-- types changing between levels
local function mixed(n)
  if n == 0 then return 0.5 end
  if n % 7 == 0 then return mixed(n - 1) + 1.25 end
  return mixed(n - 1) + 1
end
local ms = 0
for i = 1, 200 do ms = ms + mixed(i % 50) end
print("mixed", ms)

-- yields from inside the recursion
local function gen(n)
  if n == 0 then coroutine.yield(0) return 0 end
  local r = gen(n - 1) + 1
  if n % 10 == 0 then coroutine.yield(n) end
  return r
end
local co = coroutine.wrap(function() return gen(100) end)
local ys = 0
for i = 1, 12 do ys = ys + co() end
print("yields", ys)

-- recursion around loops and inlined calls that return early
local function insertion(a, lo, hi, less)
  for i = lo + 1, hi do
    local v = a[i]
    local j = i - 1
    while j >= lo and less(v, a[j]) do
      a[j + 1] = a[j]
      j = j - 1
    end
    a[j + 1] = v
  end
end
local function qsort(a, lo, hi, less)
  while hi - lo > 12 do
    local mid = (lo + hi) // 2
    if less(a[mid], a[lo]) then a[mid], a[lo] = a[lo], a[mid] end
    if less(a[hi], a[lo]) then a[hi], a[lo] = a[lo], a[hi] end
    if less(a[hi], a[mid]) then a[hi], a[mid] = a[mid], a[hi] end
    local pivot = a[mid]
    local i, j = lo, hi
    while i <= j do
      while less(a[i], pivot) do i = i + 1 end
      while less(pivot, a[j]) do j = j - 1 end
      if i <= j then
        a[i], a[j] = a[j], a[i]
        i = i + 1
        j = j - 1
      end
    end
    if j - lo < hi - i then
      qsort(a, lo, j, less)
      lo = i
    else
      qsort(a, i, hi, less)
      hi = j
    end
  end
  insertion(a, lo, hi, less)
end
local seed = 7
local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end
for round = 1, 3 do
  local a = {}
  for i = 1, 2000 do a[i] = {age = rand(90), id = i} end
  qsort(a, 1, #a, function(x, y)
    if x.age ~= y.age then return x.age < y.age end
    return x.id < y.id
  end)
  local ok = true
  for i = 2, #a do
    if a[i - 1].age > a[i].age or (a[i - 1].age == a[i].age and a[i - 1].id > a[i].id) then ok = false end
  end
  print("qsort", round, ok, a[1].id, a[#a].id)
end

-- mutual recursion and methods
local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
local node = {}
node.__index = node
function node:depth() if self.next then return 1 + self.next:depth() end return 1 end
local list = nil
for i = 1, 120 do list = setmetatable({next = list}, node) end
print("mutual", even(300), odd(301), list:depth())
