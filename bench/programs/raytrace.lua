-- raytrace.lua: a small ray tracer: a vector class with arithmetic metamethods
-- (__add, __sub, __mul, __unm), spheres and a plane as objects with intersect
-- methods, diffuse and specular lighting, shadows and one level of reflection.
-- The image is reduced to a checksum of quantised pixel values.
-- bench-group: oop
-- bench-quick: 16
-- usage: raytrace.lua [size]   (default 260: a size x size image)

local size = tonumber(arg and arg[1]) or 260
local sqrt, floor = math.sqrt, math.floor

-- -- Vectors -----------------------------------------------------------------

local Vec = {}
Vec.__index = Vec

local function vec(x, y, z) return setmetatable({ x = x, y = y, z = z }, Vec) end

Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y, a.z + b.z) end
Vec.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y, a.z - b.z) end
Vec.__unm = function(a) return vec(-a.x, -a.y, -a.z) end
Vec.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y, a * b.z) end
  if type(b) == "number" then return vec(a.x * b, a.y * b, a.z * b) end
  return vec(a.x * b.x, a.y * b.y, a.z * b.z)  -- component-wise, for colours
end

function Vec:dot(b) return self.x * b.x + self.y * b.y + self.z * b.z end
function Vec:length() return sqrt(self:dot(self)) end
function Vec:normalized()
  local l = self:length()
  return vec(self.x / l, self.y / l, self.z / l)
end

-- -- Scene objects -----------------------------------------------------------

local Sphere = {}
Sphere.__index = Sphere

function Sphere.new(centre, radius, colour, reflect)
  return setmetatable({ centre = centre, r2 = radius * radius, colour = colour,
                        reflect = reflect }, Sphere)
end

-- Distance along the ray to the nearest hit in front of the origin, or nil.
function Sphere:intersect(origin, dir)
  local oc = origin - self.centre
  local b = oc:dot(dir)
  local c = oc:dot(oc) - self.r2
  local disc = b * b - c
  if disc < 0 then return nil end
  local s = sqrt(disc)
  local t = -b - s
  if t > 1e-6 then return t end
  t = -b + s
  if t > 1e-6 then return t end
  return nil
end

function Sphere:normal_at(p) return (p - self.centre):normalized() end
function Sphere:colour_at() return self.colour end

local Plane = {}
Plane.__index = Plane

function Plane.new(normal, d, reflect)
  return setmetatable({ normal = normal, d = d, reflect = reflect }, Plane)
end

function Plane:intersect(origin, dir)
  local denom = self.normal:dot(dir)
  if denom > -1e-9 and denom < 1e-9 then return nil end
  local t = -(self.normal:dot(origin) + self.d) / denom
  if t > 1e-6 then return t end
  return nil
end

function Plane:normal_at() return self.normal end

function Plane:colour_at(p)
  -- a checkerboard on the floor
  if (floor(p.x) + floor(p.z)) % 2 == 0 then return vec(0.9, 0.9, 0.9) end
  return vec(0.2, 0.2, 0.25)
end

local objects = {
  Plane.new(vec(0, 1, 0), 1.0, 0.3),
  Sphere.new(vec(0, 0, 5), 1.0, vec(0.9, 0.2, 0.2), 0.4),
  Sphere.new(vec(-2.2, 0.2, 6), 1.2, vec(0.2, 0.9, 0.3), 0.2),
  Sphere.new(vec(2.0, -0.3, 4.2), 0.7, vec(0.2, 0.3, 0.9), 0.5),
  Sphere.new(vec(0.8, 1.6, 7.5), 1.0, vec(0.9, 0.8, 0.2), 0.1),
}
local lights = {
  { pos = vec(-4, 6, -2), colour = vec(0.8, 0.8, 0.8) },
  { pos = vec(5, 4, 1), colour = vec(0.4, 0.35, 0.3) },
}
local ambient = vec(0.08, 0.08, 0.1)

local function nearest(origin, dir)
  local best, hit = math.huge, nil
  for i = 1, #objects do
    local t = objects[i]:intersect(origin, dir)
    if t and t < best then best, hit = t, objects[i] end
  end
  return hit, best
end

local function trace(origin, dir, depth)
  local obj, t = nearest(origin, dir)
  if not obj then return vec(0.1, 0.15, 0.3) end
  local p = origin + dir * t
  local nrm = obj:normal_at(p)
  local base = obj:colour_at(p)
  local colour = ambient * base
  for i = 1, #lights do
    local light = lights[i]
    local tolight = light.pos - p
    local dist = tolight:length()
    local l = tolight * (1.0 / dist)
    local diffuse = nrm:dot(l)
    if diffuse > 0 then
      local blocker, bt = nearest(p + nrm * 1e-4, l)
      if not blocker or bt > dist then
        colour = colour + (light.colour * base) * diffuse
        local h = (l - dir):normalized()
        local spec = nrm:dot(h)
        if spec > 0 then
          -- spec^32 by squaring, so every VM rounds the same way
          spec = spec * spec
          spec = spec * spec
          spec = spec * spec
          spec = spec * spec
          spec = spec * spec
          colour = colour + light.colour * spec
        end
      end
    end
  end
  if depth > 0 and obj.reflect > 0 then
    local r = dir - nrm * (2 * dir:dot(nrm))
    local rc = trace(p + nrm * 1e-4, r, depth - 1)
    colour = colour * (1 - obj.reflect) + rc * obj.reflect
  end
  return colour
end

local function channel(v)
  if v > 1 then v = 1 end
  if v < 0 then v = 0 end
  return floor(v * 255 + 0.5)
end

local eye = vec(0, 0.5, -1)
local checksum, bright = 0, 0
for y = 0, size - 1 do
  for x = 0, size - 1 do
    local dir = vec((x + 0.5) / size * 2 - 1, 1 - (y + 0.5) / size * 2, 1.5):normalized()
    local c = trace(eye, dir, 2)
    local r, g, b = channel(c.x), channel(c.y), channel(c.z)
    checksum = (checksum * 31 + r * 65536 + g * 256 + b) % 1000000007
    if r + g + b > 384 then bright = bright + 1 end
  end
end
print(string.format("%dx%d image: checksum %d, bright pixels %d", size, size, checksum, bright))
