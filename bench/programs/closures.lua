-- closures.lua: closure creation and calls: counters sharing upvalues,
-- higher-order map/filter/fold over arrays, function composition, and a
-- continuation-passing loop. Many short-lived closures are created.
-- bench-group: closures
-- bench-quick: 2000
-- usage: closures.lua [n]   (default 1500000)

local n = tonumber(arg and arg[1]) or 1500000

local function counter(start)
  local count = start
  local function inc(k) count = count + k return count end
  local function get() return count end
  return inc, get
end

local function map(f, a)
  local r = {}
  for i = 1, #a do r[i] = f(a[i]) end
  return r
end

local function filter(p, a)
  local r = {}
  for i = 1, #a do
    if p(a[i]) then r[#r + 1] = a[i] end
  end
  return r
end

local function fold(f, acc, a)
  for i = 1, #a do acc = f(acc, a[i]) end
  return acc
end

local function compose(f, g) return function(x) return f(g(x)) end end
local function adder(k) return function(x) return x + k end end
local function scaler(k) return function(x) return x * k end end

-- sum 1..m with an explicit continuation per step (bounded depth via trampolining)
local function cps_sum(m)
  local acc = 0
  local step
  step = function(i, k)
    if i > m then return k end
    acc = acc + i
    return function() return step(i + 1, k) end
  end
  local r = step(1, "done")
  while type(r) == "function" do r = r() end
  return acc
end

local total = 0
local inc, get = counter(0)
for i = 1, n do
  local f = compose(adder(i % 7), scaler(3))
  total = total + f(i % 100)
  inc(i % 3)
end
total = total + get()

local data = {}
for i = 1, 200 do data[i] = i end
for r = 1, n / 200 do
  local sq = map(function(x) return x * x + r end, data)
  local odd = filter(function(x) return x % 2 == 1 end, sq)
  total = total + fold(function(a, b) return a + b end, 0, odd)
end

total = total + cps_sum(n)
print(string.format("total %d", total))
