-- Side traces that start at exits inside inlined calls: the exit's frames
-- are inherited, the side trace returns through them to the loop.

-- Polymorphic dispatch inside an inlined call: each behaviour in turn.
local A, B, C = {}, {}, {}
function A.run(self, x) return x + 1 end
function B.run(self, x) return x * 2 end
function C.run(self, x) if x > 100 then return x - 100 end return x + 3 end
local function step(obj, x) return obj.kind.run(obj, x) end
local objs = { {kind = A}, {kind = B}, {kind = C} }
local acc = 0
for i = 1, 3000 do
  local o = objs[i % 3 + 1]
  acc = step(o, acc % 1000)
end
print("dispatch", acc)

-- Two levels of inlined calls, the exit in the innermost, a tail call.
local function leaf(v, k) if k % 7 == 0 then return v * 3 end return v + k end
local function mid(v, k) return leaf(v, k) end
local function top(v, k) local r = mid(v, k) return r % 100003 end
local s = 0
for k = 1, 5000 do s = top(s, k) end
print("nested", s)

-- Errors raised inside a side trace's inherited frames: message, traceback
-- line and pcall exactly as the interpreter's.
local function check(v, i)
  if i == 2500 then error("bad value at " .. i) end
  if type(v) == "string" then return #v end
  return v
end
local function use(v, i) return check(v, i) + 1 end
local ok, err = pcall(function()
  local t = 0
  for i = 1, 3000 do
    local v = (i % 2 == 0) and "ab" or i
    t = t + use(v, i)
  end
  return t
end)
print("error", ok, err)

-- A method redefined mid-loop while side traces run inside the calls.
local Obj = {}
Obj.__index = Obj
function Obj:get(i) if i % 2 == 0 then return self.v end return -self.v end
local o = setmetatable({v = 5}, Obj)
local function call_get(x, i) return x:get(i) end
local sum = 0
for i = 1, 4000 do
  if i == 2000 then function Obj:get(i) return self.v * 10 + i % 3 end end
  sum = sum + call_get(o, i)
end
print("redefined", sum)

-- Upvalues of the inherited callee, written on both paths.
local function counter()
  local n = 0
  return function(i) if i % 3 == 0 then n = n + 2 else n = n - 1 end return n end
end
local c1 = counter()
local function bump(f, i) return f(i) end
local last
for i = 1, 3000 do last = bump(c1, i) end
print("upvalue", last)

-- Type changes inside the callee (integer, float, string) after warm-up.
local function conv(x)
  if math.type(x) == "integer" then return x * 2 end
  if type(x) == "number" then return x / 2 end
  return tonumber(x) or 0
end
local function wrap(x) return conv(x) end
local tot = 0
for i = 1, 3000 do
  local x = i < 1000 and i or (i < 2000 and i + 0.5 or tostring(i))
  tot = tot + wrap(x)
end
print("types", tot)
