-- Calls with a variable number of arguments or results, and vararg
-- functions, inside traces: f(g()), return g(), return ..., select,
-- exits right before an instruction that takes values up to the top.

local function two(x) return x, x + 1 end
local function three(x) return x, x * 2, x * 3 end
local function add3(a, b, c) return a + (b or 0) + (c or 0) end

-- f(g()) with g's results all passed on
local s = 0
for i = 1, 300 do s = s + add3(three(i)) end
print("f(g())", s)

-- results passed on through a chain, and a return of all of them
local function pass(...) return ... end
local function first_of(...) local a = ... return a end
s = 0
for i = 1, 300 do
  local a, b, c = pass(three(i))
  s = s + a + b + c + first_of(two(i))
end
print("pass", s)

-- select('#', ...) and select(n, ...)
local function count(...) return select('#', ...) end
local function second(...) return (select(2, ...)) end
local function last(...) return select(-1, ...) end
s = 0
for i = 1, 300 do
  s = s + count(i, i, nil) + count() + count(two(i)) + second(i, i * 10, 3)
  s = s + last(1, 2, i)
end
print("select", s)

-- a vararg function with fixed parameters, called with fewer, as many
-- and more arguments than it names
local function va(a, b, ...)
  local n = select('#', ...)
  local c, d = ...
  return (a or 0) + (b or 0) + n + (c or 0) + (d or 0)
end
s = 0
for i = 1, 300 do
  s = s + va() + va(i) + va(i, 1) + va(i, 1, 2) + va(i, 1, 2, 3, 4, 5)
end
print("va", s)

-- sum of all arguments, the vararg tail-recursive way
local function sum(acc, x, ...)
  if x == nil then return acc end
  return sum(acc + x, ...)
end
s = 0
for i = 1, 200 do s = s + sum(0, i, 2, 3) end
print("sum", s)

-- results changing in number between iterations
local function some(i)
  if i % 3 == 0 then return i end
  if i % 3 == 1 then return i, 1 end
  return i, 2, 3
end
s = 0
for i = 1, 300 do s = s + count(some(i)) * 100 + add3(some(i)) end
print("some", s)

-- the values go to a C function, a table constructor, a return of the
-- loop's function: the trace exits right before them (L->top)
local out = {}
for i = 1, 40 do
  out[#out + 1] = string.format("%d:%d:%d", three(i))
end
print("format", out[1], out[40], #out)
local function packed(i) return {two(i)} end
local function cnt_table(i) local t = packed(i) return #t end
s = 0
for i = 1, 200 do s = s + cnt_table(i) end
print("table", s)
local function ret_all(i)
  local r = 0
  for j = 1, 3 do r = r + j end
  return r, three(i)
end
s = 0
for i = 1, 100 do local a, b, c, d = ret_all(i) s = s + a + b + c + d end
print("ret_all", s)

-- types changing inside a vararg callee (exits inside it)
local function mix(...)
  local a, b = ...
  return a + b
end
s = 0
for i = 1, 300 do
  if i > 200 then s = s + mix(i + 0.5, 1) else s = s + mix(i, 1) end
end
print("mix", s)

-- varargs seen by the debug library in a frame the trace made real
local function peek(...)
  local name, v = debug.getlocal(1, -2)
  return name, v, select('#', ...)
end
local got
for i = 1, 100 do got = {peek(i, i * 2, i * 3)} end
print("getlocal", got[1], got[2], got[3])

-- an error raised inside a vararg callee at the N-th call
local function boom(limit, ...)
  local x = select(1, ...)
  if x > limit then error("too big: " .. x) end
  return x
end
local ok, err = pcall(function()
  local t = 0
  for i = 1, 300 do t = t + boom(250, i, 2) end
  return t
end)
print("error", ok, err)

-- a traceback through inlined vararg frames
local function deep(...) local x = ... return x.field end
local function outer(...) return deep(...) + 1 end
ok, err = pcall(function()
  local t = 0
  for i = 1, 300 do t = t + outer(i < 280 and {field = i} or nil) end
  return t
end)
print("traceback", ok, err)

-- print itself (a C function) with all results
for i = 1, 3 do print(two(i)) end
for i = 1, 60 do if i > 57 then print(i, pass(i, nil, i)) end end
