-- Guards inside inlined calls exit to the call, which the interpreter
-- then redoes: results must be exactly as without the JIT.
local function add(a, b) return a + b end
local function pick(t, i) return t[i] end
local function half(x) if x > 50 then return x / 2 end return x end
local t = {}
for i = 1, 100 do t[i] = i end
t[60] = 0.5
t[80] = "str"
local s, f, n = 0, 0, 0
for i = 1, 100 do
  local v = pick(t, i)
  if type(v) == "number" then
    s = add(s, v)
    f = add(f, half(i))
  else
    n = n + 1
  end
end
print(s, f, n)
-- the inlined callee's argument type flips halfway
local function sq(x) return x * x end
local acc = 0
for i = 1, 80 do
  local x = i
  if i > 40 then x = i + 0.5 end
  acc = acc + sq(x)
end
print(acc)
-- a nested inlined call with an overflow into floats
local function inc(x) return x + 1 end
local function twice(x) return inc(inc(x)) end
local big = math.maxinteger - 100
local r = 0
for i = 1, 70 do r = twice(big + i) end
print(r, math.type(r))
