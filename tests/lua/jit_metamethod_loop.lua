-- Metamethods called from hot loops.
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
V.__len = function(a) return a.x end
V.__call = function(self, d) return self.x + d end
V.__concat = function(a, b) return tostring(type(a) == "table" and a.x or a) .. tostring(type(b) == "table" and b.x or b) end
local acc = setmetatable({x = 0}, V)
local one = setmetatable({x = 1}, V)
for _ = 1, 3000 do acc = acc + one end
print(acc.x, #acc, acc(5))
local lt, eq = 0, 0
for i = 1, 2000 do
  local o = setmetatable({x = i % 10}, V)
  if o < setmetatable({x = 5}, V) then lt = lt + 1 end
  if o == setmetatable({x = 3}, V) then eq = eq + 1 end
end
print(lt, eq)
local defaults = setmetatable({}, {__index = function(_, k) return k * 2 end})
local s = 0
for i = 1, 3000 do s = s + defaults[i] end
print(s)
local sink = {}
local logger = setmetatable({}, {__newindex = function(_, k, v) sink[#sink + 1] = v end})
for i = 1, 2000 do logger[i] = i end
print(#sink, sink[2000])
local cs = ""
for i = 1, 50 do cs = one .. cs end
print(#cs)
local calls = 0
for i = 1, 2500 do calls = calls + one(i) end
print(calls)
