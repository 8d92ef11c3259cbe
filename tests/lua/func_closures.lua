-- Closures: fresh loop variables, shared upvalues, counters.
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
local gs = {}
for _, v in ipairs({"a", "b", "c"}) do gs[#gs + 1] = function() return v end end
print(gs[1](), gs[2](), gs[3]())
local function counter()
  local n = 0
  return function() n = n + 1 return n end, function() return n end
end
local inc, get = counter()
inc() inc() inc()
print(get())
local inc2, get2 = counter()
inc2()
print(get(), get2())
-- shared upvalue between sibling closures
local function pair()
  local v = 0
  local function set(x) v = x end
  local function read() return v end
  return set, read
end
local set, read = pair()
set(42)
print(read())
-- upvalue of an upvalue
local function outer()
  local x = 1
  return function()
    return function() x = x + 1 return x end
  end
end
local mid = outer()
local f1, f2 = mid(), mid()
print(f1(), f2(), f1())
-- closure sees later assignments to the captured local
local late = 1
local function see() return late end
late = 2
print(see())
-- while loop locals are fresh per iteration
local ws, k = {}, 0
while k < 3 do k = k + 1 local kk = k ws[k] = function() return kk end end
print(ws[1](), ws[2](), ws[3]())
-- recursive local function
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(20), fact(21))
-- upvalues closed when the loop exits by break
local hs = {}
for i = 1, 10 do
  local sq = i * i
  hs[#hs + 1] = function() return sq end
  if i == 4 then break end
end
print(#hs, hs[4]())
local function make_adders()
  local t = {}
  for i = 1, 5 do t[i] = function(x) return x + i end end
  return t
end
local adders = make_adders()
print(adders[1](10), adders[5](10))
