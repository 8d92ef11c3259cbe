-- == and ~= between tables with metatables inside traces: identity
-- without __eq, __eq appearing mid-loop (in either operand's metatable),
-- metatables swapped or removed, objects of different classes.

local Point = {}
Point.__index = Point
local function new(x) return setmetatable({x = x}, Point) end

local pts = {}
for i = 1, 20 do pts[i] = new(i) end
local same, diff = 0, 0
for r = 1, 300 do
  local p = pts[r % 20 + 1]
  for i = 1, 20 do
    if pts[i] == p then same = same + 1 else diff = diff + 1 end
    if pts[i] ~= p then diff = diff + 1 end
  end
end
print("identity", same, diff)

-- __eq added to the class halfway: equal by field from then on
local count = 0
for r = 1, 300 do
  if r == 150 then Point.__eq = function(a, b) return a.x % 5 == b.x % 5 end end
  local p = pts[r % 20 + 1]
  for i = 1, 20 do if pts[i] == p then count = count + 1 end end
end
print("__eq added", count)
Point.__eq = nil

-- __eq only in the second operand's metatable
local Other = {__eq = function() return true end}
local o = setmetatable({}, Other)
local plain = {}
count = 0
for r = 1, 300 do
  local rhs = r > 200 and o or plain
  if pts[1] == rhs then count = count + 1 end
  if plain == rhs then count = count + 10 end
end
print("second operand", count)

-- a metatable removed from and set on objects during the loop
count = 0
for r = 1, 300 do
  local a, b = pts[1], pts[2]
  if r == 100 then setmetatable(a, nil) end
  if r == 200 then setmetatable(a, {__eq = function() return true end}) end
  if a == b then count = count + 1 end
end
print("metatable changes", count)

-- a table compared with itself never calls __eq
local calls = 0
local E = setmetatable({}, {__eq = function() calls = calls + 1 return false end})
count = 0
for r = 1, 300 do if E == E then count = count + 1 end end
print("self", count, calls)
