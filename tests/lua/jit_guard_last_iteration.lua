-- Guards that only fail on the last iteration of hot loops.
local function f(n)
  local acc = 0
  for i = 1, n do
    if i == n then acc = acc + 0.5 else acc = acc + 1 end
  end
  return acc
end
print(f(5000), f(1), f(2))
local t = {}
for i = 1, 5000 do t[i] = i end
t[5000] = "last"
local ok, err = pcall(function()
  local s = 0
  for i = 1, #t do s = s + t[i] end
  return s
end)
print(ok, err)
t[5000] = nil
local s2 = 0
for i = 1, 5000 do local x = t[i] if x then s2 = s2 + x end end
print(s2)
local objs = {}
for i = 1, 3000 do objs[i] = {v = i} end
objs[3000] = setmetatable({}, {__index = function() return -1 end})
local s3 = 0
for i = 1, #objs do s3 = s3 + objs[i].v end
print(s3)
local funcs = {}
for i = 1, 2000 do funcs[i] = function(x) return x + 1 end end
funcs[2000] = function(x) return x * 100 end
local s4 = 0
for i = 1, 2000 do s4 = s4 + funcs[i](i) end
print(s4)
local str = string.rep("a", 4999) .. "b"
local ca = 0
for i = 1, #str do if str:byte(i) == 97 then ca = ca + 1 end end
print(ca)
local limit = 3000
local w = 0
while w < limit do
  w = w + 1
  if w == limit then w = w + 0.25 end
end
print(w)
local r = 0
repeat r = r + 1 until r >= 4000 or (r == 3999 and true)
print(r)
