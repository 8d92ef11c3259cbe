-- sor.lua: successive over-relaxation (Jacobi/Gauss-Seidel style stencil) on a
-- 2-D grid, the SciMark kernel; nested row tables and neighbour loads.
-- bench-group: numeric
-- bench-quick: 20
-- usage: sor.lua [n]   (default 500: an n x n grid, 100 sweeps)

local n = tonumber(arg and arg[1]) or 500
local sweeps = 100
local omega = 1.25

local seed = 42
local function rand()
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
end

local g = {}
for i = 1, n do
  local row = {}
  for j = 1, n do row[j] = rand() end
  g[i] = row
end

local w4, w1 = omega * 0.25, 1.0 - omega
for _ = 1, sweeps do
  for i = 2, n - 1 do
    local up, row, down = g[i - 1], g[i], g[i + 1]
    for j = 2, n - 1 do
      row[j] = w4 * (up[j] + down[j] + row[j - 1] + row[j + 1]) + w1 * row[j]
    end
  end
end

local sum = 0.0
for i = 1, n do
  local row = g[i]
  for j = 1, n do sum = sum + row[j] end
end
local mid = math.floor(n / 2)
print(string.format("n = %d  sum = %.9f  centre = %.9f", n, sum, g[mid][mid]))
