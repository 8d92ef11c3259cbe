-- Calls to small Lua functions inside hot loops: pure ones are inlined into
-- the trace (their guards exit to the call, which the interpreter redoes);
-- the rest run through the interpreter. Results must not change.
local function A(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end
local s = 0
for i = 1, 60 do
  for j = 1, 60 do s = s + A(i, j) end
end
print(string.format("%.12f", s))

-- The callee sees other types midway: int -> float -> string operands.
local function mix(a, b) return a * 2 + b end
local out = {}
for i = 1, 60 do
  local x = i
  if i > 20 then x = i + 0.5 end
  if i > 40 then x = tostring(i) end
  out[#out + 1] = mix(x, 1)
end
print(table.concat(out, " ", 15, 25), out[41], out[60])

-- Missing arguments are nil, extra ones dropped; several results, none.
local function two(a, b, c) if c == nil then return a, b end return c, c end
local function none(a) local _ = a end
local acc = {}
for i = 1, 40 do
  local p, q, r = two(i, i * 2)
  local u = two(i, 0, i + 100, 7)
  local n = none(i)
  if i % 13 == 0 then acc[#acc + 1] = table.concat({p, q, tostring(r), u, tostring(n)}, ",") end
end
print(table.concat(acc, " | "))

-- Branches and comparisons inside the callee; a builtin call inside.
local function clamp(x, lo, hi)
  if x < lo then return lo elseif x > hi then return hi end
  return math.floor(x)
end
local cs = 0
for i = -50, 150 do cs = cs + clamp(i * 0.75, 0, 100) end
print(cs)

-- Errors raised inside the callee keep their message and position.
local function div(a, b) return a // b end
for i = 1, 30 do
  local b = i < 25 and i or 0
  local ok, err = pcall(function() return div(100, b) end)
  if not ok then print(i, err) break end
end
local function idx(t, k) return t[k] + 1 end
for i = 1, 30 do
  local t = i < 25 and {i} or nil
  local ok, err = pcall(idx, t, 1)
  if not ok then print(i, err) break end
end

-- Not inlined: a callee with side effects, with upvalues, recursion.
local count = 0
local function bump(d) count = count + d return count end
local tab = {}
local function store(t, k, v) t[k] = v return v end
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local tot = 0
for i = 1, 50 do
  tot = tot + bump(i) + store(tab, i, i * i) + fib(i % 10)
end
print(tot, count, #tab, tab[50])

-- The callee is replaced mid-loop by another function.
local f = function(x) return x + 1 end
local r = 0
for i = 1, 60 do
  if i == 30 then f = function(x) return x * 3 end end
  r = r + f(i)
end
print(r)
