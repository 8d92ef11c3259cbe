-- Method calls and field reads through __index tables compiled in traces:
-- each step guarded (metatable identity, key absent, __index table), and
-- every change mid-loop seen exactly.

local Base = {}
Base.__index = Base
function Base.new(v) return setmetatable({v = v}, Base) end
function Base:get() return self.v end
function Base:kind() return "base" end

local Derived = setmetatable({}, {__index = Base})
Derived.__index = Derived
function Derived.new(v) return setmetatable({v = v}, Derived) end
function Derived:get() return self.v * 2 end

-- Inherited method (two levels up), own method, and a plain field.
local d = Derived.new(3)
local n, kinds = 0, 0
for i = 1, 500 do
  n = n + d:get()
  if d:kind() == "base" then kinds = kinds + 1 end
end
print("chain", n, kinds)

-- Method redefined mid-loop in the class, then shadowed in the object.
local b = Base.new(7)
local s = 0
for i = 1, 600 do
  if i == 200 then function Base:get() return self.v + 100 end end
  if i == 400 then b.get = function(self) return -1 end end
  s = s + b:get()
end
print("redefined", s)

-- Metatable changed mid-loop; then removed (the field lookup ends in nil).
local o = setmetatable({}, {__index = {x = 1}})
local t = 0
for i = 1, 600 do
  if i == 250 then setmetatable(o, {__index = {x = 10}}) end
  if i == 450 then setmetatable(o, nil) end
  t = t + (o.x or 1000)
end
print("setmetatable", t)

-- __index changed from a table to a function, and back.
local proxy_mt = {__index = {y = 2}}
local p = setmetatable({}, proxy_mt)
local u = 0
for i = 1, 600 do
  if i == 200 then proxy_mt.__index = function(tt, k) return 5 end end
  if i == 400 then proxy_mt.__index = {y = 3} end
  u = u + p.y
end
print("index switch", u)

-- A field of the object set to nil: reads go to the class again.
local obj = Base.new(1)
obj.kind = function() return "own" end
local own = 0
for i = 1, 400 do
  if i == 200 then obj.kind = nil end
  if obj:kind() == "own" then own = own + 1 end
end
print("own", own)

-- Writes to absent keys of objects: raw unless __newindex appears.
local log = {}
local W = {}
W.__index = W
local w = setmetatable({}, W)
for i = 1, 600 do
  if i == 300 then
    W.__newindex = function(tt, k, v) log[#log + 1] = k; rawset(tt, k, v) end
  end
  w["f" .. (i % 3)] = nil -- keep them absent
  w.f1 = i
  w.f1 = nil
end
print("newindex", #log)

-- Superclass method replaced mid-loop, seen through a deep chain.
local A = {}; A.__index = A
function A:name() return "A" end
local B2 = setmetatable({}, A); B2.__index = B2
local C2 = setmetatable({}, B2); C2.__index = C2
local c = setmetatable({}, C2)
local names = {}
for i = 1, 300 do
  if i == 150 then function A:name() return "A2" end end
  if i == 250 then function B2:name() return "B" end end
  names[c:name()] = (names[c:name()] or 0) + 1
end
print("deep", names.A, names.A2, names.B)

-- Errors: calling a missing method gives the interpreter's message.
local ok, err = pcall(function()
  local q = Base.new(1)
  for i = 1, 300 do
    if i == 280 then q = setmetatable({}, {__index = {}}) end
    q:get()
  end
end)
print("missing", ok, err)
