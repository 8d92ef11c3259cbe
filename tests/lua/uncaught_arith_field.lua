-- Arithmetic on a missing field.
local point = {x = 1}
print(point.x + 1)
print(point.y * 2)
