-- Short while loops inside hot loops: recordings that start at a while
-- head often see the loop's last test; the trace must still run the body
-- (through side traces) and every result must stay exact.

-- 1. A while loop that runs 0..3 times per outer iteration.
local s = 0
for n = 1, 3000 do
  local k = n % 4
  while k > 0 do
    s = s + k * n
    k = k - 1
  end
end
print("sum", s)

-- 2. Prefix reversals (as in fannkuch): swap loops of varying length.
local a = {}
for i = 1, 9 do a[i] = 10 - i end
local flips = 0
for round = 1, 400 do
  local k = a[1]
  while k ~= 1 do
    local lo, hi = 1, k
    while lo < hi do
      a[lo], a[hi] = a[hi], a[lo]
      lo = lo + 1
      hi = hi - 1
    end
    flips = flips + 1
    k = a[1]
  end
  -- rotate to a new permutation
  local t = a[1]
  for i = 1, 8 do a[i] = a[i + 1] end
  a[9] = t
  if round % 7 == 0 then a[1], a[5] = a[5], a[1] end
end
print("flips", flips, table.concat(a, ","))

-- 3. A sift loop that mostly breaks at once, sometimes runs long; floats
-- and integers mixed in the heap.
local heap = {}
local seed = 7
for i = 1, 500 do
  seed = (seed * 16807) % 2147483647
  heap[i] = i % 3 == 0 and seed % 1000 or (seed % 1000) / 8
end
local function sift(h, root, stop)
  local v = h[root]
  while true do
    local child = root * 2
    if child > stop then break end
    if child < stop and h[child] < h[child + 1] then child = child + 1 end
    if v < h[child] then
      h[root] = h[child]
      root = child
    else
      break
    end
  end
  h[root] = v
end
for start = 250, 1, -1 do sift(heap, start, 500) end
for stop = 500, 2, -1 do
  heap[1], heap[stop] = heap[stop], heap[1]
  sift(heap, 1, stop - 1)
end
local ok = true
for i = 2, 500 do if heap[i - 1] > heap[i] then ok = false end end
print("sorted", ok, heap[1], heap[250], heap[500], math.type(heap[3]))

-- 4. repeat-until loops whose condition flips between runs.
local count = 0
for n = 1, 2000 do
  local x = n
  repeat
    x = x // 2
    count = count + 1
  until x < 3 or (n % 5 == 0 and x < 50)
end
print("steps", count)
