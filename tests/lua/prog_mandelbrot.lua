-- ASCII Mandelbrot set (float-heavy loops, deterministic output).
local W, H, MAXIT = 60, 24, 50
local chars = " .:-=+*#%@"
for y = 0, H - 1 do
  local ci = (y / H) * 2.4 - 1.2
  local row = {}
  for x = 0, W - 1 do
    local cr = (x / W) * 3.2 - 2.2
    local zr, zi, it = 0.0, 0.0, 0
    while it < MAXIT and zr * zr + zi * zi <= 4.0 do
      zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
      it = it + 1
    end
    local idx = (it == MAXIT) and #chars or (it % (#chars - 1)) + 1
    row[#row + 1] = chars:sub(idx, idx)
  end
  print(table.concat(row))
end
