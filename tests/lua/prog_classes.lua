-- A small class system with inheritance, super calls, tostring and class checks.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  c.super = parent
  c.new = function(...)
    local o = setmetatable({}, c)
    if o.init then o:init(...) end
    return o
  end
  c.is_a = function(self, k)
    local m = getmetatable(self)
    while m do if m == k then return true end m = m.super end
    return false
  end
  return c
end
local Shape = class()
function Shape:init(name) self.name = name end
function Shape:area() return 0 end
function Shape:describe() return string.format("%s with area %.2f", self.name, self:area()) end
Shape.__tostring = function(s) return "Shape(" .. s.name .. ")" end
local Rect = class(Shape)
function Rect:init(w, h) Shape.init(self, "rect") self.w, self.h = w, h end
function Rect:area() return self.w * self.h end
Rect.__tostring = Shape.__tostring
Rect.__eq = function(a, b) return a.w == b.w and a.h == b.h end
local Square = class(Rect)
function Square:init(s) Rect.init(self, s, s) self.name = "square" end
Square.__tostring = function(s) return "Square(" .. s.w .. ")" end
Square.__eq = Rect.__eq
Square.__lt = function(a, b) return a:area() < b:area() end
local Circle = class(Shape)
function Circle:init(r) self.super.init(self, "circle") self.r = r end
function Circle:area() return math.pi * self.r ^ 2 end
local shapes = {Rect.new(3, 4), Square.new(5), Circle.new(1), Square.new(2), Shape.new("blob")}
for _, s in ipairs(shapes) do print(s:describe()) end
print(tostring(shapes[1]), tostring(shapes[2]), tostring(shapes[5]))
print(shapes[2]:is_a(Square), shapes[2]:is_a(Rect), shapes[2]:is_a(Shape), shapes[1]:is_a(Square), shapes[3]:is_a(Rect))
print(Square.new(3) == Square.new(3), Square.new(3) == Square.new(4), Square.new(2) < Square.new(3))
local total = 0
for _, s in ipairs(shapes) do total = total + s:area() end
print(string.format("%.4f", total))
local squares = {Square.new(4), Square.new(1), Square.new(3), Square.new(2)}
table.sort(squares)
local ws = {}
for i, s in ipairs(squares) do ws[i] = s.w end
print(table.concat(ws, " "))
