-- Upvalues shared between closures, across loop iterations and coroutines.
local function make()
  local n = 0
  local function inc() n = n + 1 end
  local function dec() n = n - 1 end
  local function get() return n end
  return inc, dec, get
end
local inc, dec, get = make()
inc() inc() dec() inc()
print(get())
local shared = {}
for i = 1, 3 do
  local cell = 0
  shared[i] = {function() cell = cell + i return cell end, function() return cell end}
end
shared[1][1]() shared[1][1]() shared[3][1]()
print(shared[1][2](), shared[2][2](), shared[3][2]())
local co_up = 0
local co = coroutine.wrap(function() while true do co_up = co_up + 1 coroutine.yield(co_up) end end)
co() co()
co_up = co_up + 10
print(co(), co_up)
local fs = {}
local x = 1
for i = 1, 3 do fs[i] = function() return x + i end end
x = 100
print(fs[1](), fs[2](), fs[3]())
local function nest3()
  local a = 1
  return function()
    local b = 2
    return function()
      a = a + 1 b = b + 1
      return a + b
    end
  end
end
local mid = nest3()
local f1, f2 = mid(), mid()
print(f1(), f1(), f2())
local function gen_counter(start)
  return function(step) start = start + (step or 1) return start end
end
local c1, c2 = gen_counter(10), gen_counter(100)
print(c1(), c1(5), c2(), c1())
local parked = {}
for i = 1, 3 do
  local v = i
  parked[#parked + 1] = function(nv) if nv then v = nv end return v end
end
parked[2](20)
print(parked[1](), parked[2](), parked[3]())
