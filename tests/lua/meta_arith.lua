-- Arithmetic and bitwise metamethods.
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y) end
  if type(b) == "number" then return vec(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
V.__div = function(a, b) return vec(a.x / b, a.y / b) end
V.__mod = function(a, b) return vec(a.x % b, a.y % b) end
V.__pow = function(a, b) return vec(a.x ^ b, a.y ^ b) end
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__idiv = function(a, b) return vec(a.x // b, a.y // b) end
V.__tostring = function(a) return "(" .. tostring(a.x) .. "," .. tostring(a.y) .. ")" end
local p, q = vec(1, 2), vec(3, 4)
print(tostring(p + q), tostring(p - q), p * q, tostring(2 * p), tostring(p * 3))
print(tostring(q / 2), tostring(q % 3), tostring(p ^ 2), tostring(-p), tostring(q // 2))
local B = {}
local function bits(v) return setmetatable({v = v}, B) end
local function val(x) return type(x) == "table" and x.v or x end
B.__band = function(a, b) return bits(val(a) & val(b)) end
B.__bor = function(a, b) return bits(val(a) | val(b)) end
B.__bxor = function(a, b) return bits(val(a) ~ val(b)) end
B.__shl = function(a, b) return bits(val(a) << val(b)) end
B.__shr = function(a, b) return bits(val(a) >> val(b)) end
B.__bnot = function(a) return bits(~val(a)) end
local x = bits(12)
print((x & 10).v, (x | 3).v, (x ~ 5).v, (x << 2).v, (x >> 2).v, (~x).v, (3 & x).v)
-- metamethod selected from the second operand
local right = setmetatable({}, {__add = function(a, b) return "right:" .. type(a) .. "," .. type(b) end})
print(1 + right, right + 1, "s" + right)
-- bitwise metamethod for floats without integer representation
local F = setmetatable({}, {__bor = function() return "bor called" end})
print(1.5 | F)
-- errors name the operation
print(pcall(function() return {} + 1 end))
print(pcall(function() local t = {} return t * 2 end))
print(pcall(function() return -{} end))
print(pcall(function() return ~{} end))
print(pcall(function() local t = {} return t & 1 end))
-- metamethods returning multiple values are truncated
local multi = setmetatable({}, {__add = function() return 1, 2, 3 end})
print(multi + multi)
-- __concat
local C = setmetatable({}, {__concat = function(a, b)
  local sa = type(a) == "table" and "C" or tostring(a)
  local sb = type(b) == "table" and "C" or tostring(b)
  return sa .. sb
end})
print(C .. "x", "x" .. C, 1 .. C, C .. C, "a" .. "b" .. C)
