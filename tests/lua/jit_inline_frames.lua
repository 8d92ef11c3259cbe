-- Calls inlined into traces: guards, slow paths and errors inside the
-- callees behave as in the interpreter (frames, tracebacks, upvalues).

-- errors at the N-th call, two levels deep, with a traceback
local function leaf(t, i)
  if i == 170 then error("leaf failed at " .. i) end
  return t[i] + 1
end
local function mid(t, i) return leaf(t, i) * 2 end
local t = {}
for i = 1, 300 do t[i] = i end
local ok, err = pcall(function()
  local s = 0
  for i = 1, 300 do s = s + mid(t, i) end
  return s
end)
print(ok, err)
local tb
local function handler(m) tb = debug.traceback(m, 1); return m end
print(xpcall(function()
  local s = 0
  for i = 1, 300 do s = s + mid(t, i) end
  return s
end, handler))
print((tb:gsub("\n[^\n]*%[C%][^\n]*", "")))

-- a runtime error (not error()) inside a nested callee names the variable
local function get(rec) return rec.val.x end
local recs = {}
for i = 1, 200 do recs[i] = {val = {x = i}} end
recs[150] = {val = false}
print(pcall(function()
  local s = 0
  for i = 1, 200 do s = s + get(recs[i]) end
  return s
end))

-- type changes inside the callee: exits resume in the callee's frame
local function scale(x) return x * 3 end
local function step(x) local y = scale(x) if y > 400 then y = y / 2 end return y end
local vals, sum = {}, 0
for i = 1, 300 do vals[i] = i % 7 == 0 and i + 0.5 or i end
for i = 1, 300 do sum = sum + step(vals[i]) end
print(sum)

-- tail calls inside inlined callees, and an error after one
local function tail2(x) if x == 240 then return nil + x end return x - 1 end
local function tail1(x) return tail2(x + 1) end
print(pcall(function()
  local s = 0
  for i = 1, 300 do s = s + tail1(i) end
  return s
end))
local s = 0
for i = 1, 300 do s = s + tail1(i % 200) end
print(s)

-- closures updating locals of the loop's function (open upvalues)
local count, total = 0, 0
local function bump(d) count = count + 1; total = total + d; return total end
local last
for i = 1, 300 do last = bump(i) end
print(count, total, last)
-- the same function, other closures: their upvalues are elsewhere
local function mk(k) local c = 0 return function(d) c = c + d * k return c end end
local fs = {mk(1), mk(2), bump}
local acc = 0
for i = 1, 300 do acc = acc + fs[i % 3 + 1](i) end
print(acc, count, total)

-- slow paths inside callees (string building, C functions, tables)
local parts = {}
local function add(i) parts[#parts + 1] = string.format("%d", i) .. ":" .. tostring(i % 3 == 0) end
for i = 1, 200 do add(i) end
print(#parts, parts[1], parts[200])

-- a method redefined mid-loop
local obj = {n = 0}
function obj.inc(self, d) self.n = self.n + d end
for i = 1, 300 do
  obj.inc(obj, 1)
  if i == 150 then obj.inc = function(self, d) self.n = self.n + 10 * d end end
end
print(obj.n)

-- yields from inside an inlined callee
local function produce(i) if i % 50 == 0 then coroutine.yield(i) end return i end
local co = coroutine.wrap(function()
  local s = 0
  for i = 1, 300 do s = s + produce(i) end
  return "done " .. s
end)
local got = {}
for _ = 1, 7 do got[#got + 1] = tostring(co()) end
print(table.concat(got, " "))

-- deep nesting: more levels than are inlined
local function d5(x) return x + 5 end
local function d4(x) return d5(x) + 4 end
local function d3(x) return d4(x) + 3 end
local function d2(x) return d3(x) + 2 end
local function d1(x) return d2(x) + 1 end
local dsum = 0
for i = 1, 300 do dsum = dsum + d1(i) end
print(dsum)
local function e3(x) if x == 280 then error({code = x}) end return x end
local function e2(x) return e3(x) + 0 end
local function e1(x) return e2(x) * 1 end
local okd, errd = pcall(function() for i = 1, 300 do e1(i) end end)
print(okd, type(errd), errd.code)
