-- mandelbrot.lua: escape-time iteration over a grid of the complex plane;
-- pure floating-point loops with a data-dependent exit.
-- bench-group: numeric
-- bench-quick: 40
-- usage: mandelbrot.lua [size]   (default 800: a size x size grid)

local size = tonumber(arg and arg[1]) or 800
local maxiter = 100

local inside, itersum = 0, 0
for y = 0, size - 1 do
  local ci = 2.0 * y / size - 1.0
  for x = 0, size - 1 do
    local cr = 2.0 * x / size - 1.5
    local zr, zi = 0.0, 0.0
    local it = 0
    while it < maxiter do
      local zr2, zi2 = zr * zr, zi * zi
      if zr2 + zi2 > 4.0 then break end
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      it = it + 1
    end
    if it == maxiter then inside = inside + 1 end
    itersum = itersum + it
  end
end
print(string.format("size %d: %d points inside, %d iterations", size, inside, itersum))
