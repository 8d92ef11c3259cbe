-- tak.lua: the Takeuchi function, three-argument recursion evaluated many times.
-- bench-group: recursion
-- bench-quick: 5
-- usage: tak.lua [repeats]   (default 400)

local reps = tonumber(arg and arg[1]) or 400

local function tak(x, y, z)
  if y >= x then return z end
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
end

local sum = 0
for i = 1, reps do
  sum = sum + tak(18 + i % 3, 12, 6)
end
print(string.format("tak sum = %d", sum))
