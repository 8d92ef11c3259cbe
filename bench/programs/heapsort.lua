-- heapsort.lua: in-place heapsort of pseudo-random floats; array-heavy sift
-- loops with data-dependent branches. Sorted order is verified.
-- bench-group: tables
-- bench-quick: 1000
-- usage: heapsort.lua [n]   (default 600000)

local n = tonumber(arg and arg[1]) or 600000

local seed = 12345
local function rand()
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
end

local function sift(a, start, stop)
  local root = start
  local v = a[root]
  while true do
    local child = root * 2
    if child > stop then break end
    if child < stop and a[child] < a[child + 1] then child = child + 1 end
    if v < a[child] then
      a[root] = a[child]
      root = child
    else
      break
    end
  end
  a[root] = v
end

local function heapsort(a, m)
  for start = math.floor(m / 2), 1, -1 do sift(a, start, m) end
  for stop = m, 2, -1 do
    a[1], a[stop] = a[stop], a[1]
    sift(a, 1, stop - 1)
  end
end

local a = {}
for i = 1, n do a[i] = rand() end
heapsort(a, n)
local sorted = true
for i = 2, n do
  if a[i - 1] > a[i] then sorted = false end
end
print(string.format("n = %d  sorted = %s  a[1] = %.9f  a[n/2] = %.9f  a[n] = %.9f",
  n, tostring(sorted), a[1], a[math.floor(n / 2)], a[n]))
