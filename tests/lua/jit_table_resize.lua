-- Tables resized and metatables set during hot loops.
local t = {}
for i = 1, 5000 do
  t[i] = i
  if i % 1000 == 0 then for j = 1, 100 do t["k" .. i .. "_" .. j] = j end end
end
local hashed = 0
for k in pairs(t) do if type(k) == "string" then hashed = hashed + 1 end end
print(#t, hashed)
for i = 5000, 1, -1 do if i % 2 == 0 then table.remove(t, i) end end
print(#t, t[1], t[2], t[#t])
local objs = {}
for i = 1, 3000 do
  local o = {v = i}
  if i == 1500 then setmetatable(o, {__index = {extra = 10}}) end
  objs[i] = o
end
local s = 0
for i = 1, #objs do s = s + objs[i].v + (objs[i].extra or 0) end
print(s)
local shared = {}
local mt = {__index = function(_, k) return k * 2 end}
local acc = 0
for i = 1, 4000 do
  if i == 2000 then setmetatable(shared, mt) end
  acc = acc + (shared[i] or 1)
end
print(acc)
local grow = {}
for i = 1, 3000 do grow[#grow + 1] = {i} grow[#grow][2] = i * 2 end
print(#grow, grow[3000][2])
local m = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 10) end})
for i = 1, 2000 do m[i] = i end
print(m[1], m[2000], #m)
local arr = {}
for i = 1, 2000 do arr[i] = i end
for i = 1, 2000 do arr[i] = nil end
for i = 1, 2000 do arr[i * 2] = i end
local c2 = 0
for _ in pairs(arr) do c2 = c2 + 1 end
print(c2)
local mtcount = 0
local addmt = {__add = function(a, b) mtcount = mtcount + 1 return a.v + b end}
local val = 0
for i = 1, 3000 do
  local operand = (i > 2500) and setmetatable({v = val}, addmt) or val
  val = operand + 1
end
print(val, mtcount)
