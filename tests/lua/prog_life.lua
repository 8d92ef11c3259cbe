-- Conway's game of life on a small torus: a glider and a blinker for 20 generations.
local W, H = 16, 10
local function empty() local g = {} for y = 1, H do g[y] = {} for x = 1, W do g[y][x] = 0 end end return g end
local grid = empty()
for _, p in ipairs({{2, 1}, {3, 2}, {1, 3}, {2, 3}, {3, 3}}) do grid[p[2]][p[1]] = 1 end
for x = 10, 12 do grid[6][x] = 1 end
local function step(g)
  local n = empty()
  for y = 1, H do
    for x = 1, W do
      local c = 0
      for dy = -1, 1 do
        for dx = -1, 1 do
          if dx ~= 0 or dy ~= 0 then
            c = c + g[(y + dy - 1) % H + 1][(x + dx - 1) % W + 1]
          end
        end
      end
      n[y][x] = (c == 3 or (c == 2 and g[y][x] == 1)) and 1 or 0
    end
  end
  return n
end
local function show(g)
  for y = 1, H do
    local row = {}
    for x = 1, W do row[x] = g[y][x] == 1 and "#" or "." end
    print(table.concat(row))
  end
end
local function population(g) local p = 0 for y = 1, H do for x = 1, W do p = p + g[y][x] end end return p end
for gen = 1, 20 do grid = step(grid) if gen % 5 == 0 then io.write(population(grid), " ") end end
print()
show(grid)
