-- binary_trees.lua: allocate and walk many complete binary trees of table
-- nodes; measures allocation and garbage collection.
-- bench-group: tables
-- bench-quick: 8
-- usage: binary_trees.lua [depth]   (default 15)

local maxdepth = tonumber(arg and arg[1]) or 15
local mindepth = 4
if maxdepth < mindepth + 2 then maxdepth = mindepth + 2 end

local function build(d)
  if d == 0 then return {} end
  d = d - 1
  return { build(d), build(d) }
end

local function check(t)
  if t[1] then return 1 + check(t[1]) + check(t[2]) end
  return 1
end

do
  local stretch = maxdepth + 1
  print(string.format("stretch tree of depth %d\t check: %d", stretch, check(build(stretch))))
end

local longlived = build(maxdepth)
for d = mindepth, maxdepth, 2 do
  local iters = 2 ^ (maxdepth - d + mindepth)
  local sum = 0
  for _ = 1, iters do sum = sum + check(build(d)) end
  print(string.format("%d\t trees of depth %d\t check: %d", iters, d, sum))
end
print(string.format("long lived tree of depth %d\t check: %d", maxdepth, check(longlived)))
