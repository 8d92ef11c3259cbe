-- Integer arithmetic that wraps inside hot loops, and int/float boundaries.
local x = math.maxinteger - 1000
local wraps = 0
for i = 1, 2000 do
  local before = x
  x = x + 1
  if x < before then wraps = wraps + 1 end
end
print(x, wraps)
local m = 1
for i = 1, 70 do m = m * 2 end
print(m)
local h = 0
for i = 1, 5000 do h = (h * 31 + i) & 0xffffffff end
print(h)
local h2 = 17
for i = 1, 5000 do h2 = h2 * 1099511628211 ~ i end
print(h2)
local f = 1.0
for i = 1, 200 do f = f * 2 end
print(f, math.type(f))
local n = math.mininteger + 500
for i = 1, 1000 do n = n - 1 end
print(n)
local mix = 0
for i = 1, 3000 do
  if i % 2 == 0 then mix = mix + i else mix = mix - i * 0.5 end
end
print(mix)
local acc = 0
for i = math.maxinteger - 2000, math.maxinteger do acc = acc + 1 end
print(acc)
local dsum = 0
for i = 1, 3000 do dsum = dsum + (i // 7) + (i % 7) + (-i // 7) + (-i % 7) end
print(dsum)
