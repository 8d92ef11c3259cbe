-- Loops whose calls the JIT must compile, not leave to the interpreter
-- (tests/cli/cli_tests.cmake checks -jstats: no abort, almost every
-- bytecode in traces): calls with all results passed on, vararg callees
-- with select, generic for loops over Lua iterators, ipairs and pairs,
-- and a loop whose inlined callee ignores its argument (a snapshot then
-- names a value DCE removed).
local function three(x) return x, x + 1, x + 2 end
local function add(a, b, c) return a + b + c end
local function va(...) return select('#', ...) + select(2, ...) end
local function step(t, i)
  i = i + 1
  local v = t[i]
  if v then return i, v end
end
local function integrate(n, f)
  local x, r = 0.0, 0.0
  for _ = 1, n do
    x = x + 0.5
    r = r + (x + 1) ^ 0.5 * f(x * 3)
  end
  return r
end
local t = {}
for i = 1, 200 do t[i] = i end
local s = 0
for _ = 1, 2000 do
  for i = 1, 50 do s = s + add(three(i)) + va(i, i, i) end
end
for _ = 1, 500 do
  for i, v in step, t, 0 do s = s + i * v end
  for _, v in ipairs(t) do s = s + v end
  for k in pairs(t) do s = s + k end
end
s = s + integrate(200000, function() return 1 end)
print(math.floor(s))
