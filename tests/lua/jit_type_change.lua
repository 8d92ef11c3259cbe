-- Loops whose values change type mid-loop: int -> float -> string.
local acc = 0
for i = 1, 3000 do
  if i == 1000 then acc = acc + 0.5 end
  acc = acc + 1
end
print(acc, math.type(acc))
local v = 1
local kinds = {}
for i = 1, 3000 do
  if i == 1001 then v = 1.5 end
  if i == 2001 then v = "7" end
  local r = v * 2
  kinds[math.type(r)] = (kinds[math.type(r)] or 0) + 1
end
print(kinds.integer, kinds.float)
local items = {}
for i = 1, 2000 do items[i] = i end
items[1500] = 1500.25
items[1800] = "18"
local sum = 0
for i = 1, #items do sum = sum + items[i] end
print(sum)
local s = 0
for i = 1, 2000 do
  local x = i
  if i > 1990 then x = tostring(i) end
  s = s + #tostring(x)
end
print(s)
local mixed = {}
for i = 1, 1200 do
  local x
  if i % 3 == 0 then x = i elseif i % 3 == 1 then x = i + 0.0 else x = tostring(i) end
  mixed[#mixed + 1] = type(x)
end
print(mixed[1], mixed[2], mixed[3], #mixed)
local t = 0
for i = 1, 2000 do
  t = t + i
  if i == 1999 then t = t * 1.0 end
end
print(t, math.type(t))
local nilcount = 0
for i = 1, 2000 do
  local val = (i % 500 ~= 0) and i or nil
  if val == nil then nilcount = nilcount + 1 end
end
print(nilcount)
local overflow = math.maxinteger - 1500
for i = 1, 2000 do overflow = overflow + 1 end
print(overflow)
local fl = 0.0
for i = 1, 2000 do fl = fl + 0.1 end
print(string.format("%.10f", fl))
