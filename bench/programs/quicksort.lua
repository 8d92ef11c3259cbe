-- quicksort.lua: a hand-written quicksort (median of three, insertion sort
-- for short ranges) of record tables through a comparator closure, sorting
-- the same records by two different keys.
-- bench-group: tables
-- bench-quick: 1000
-- usage: quicksort.lua [n]   (default 160000)

local n = tonumber(arg and arg[1]) or 160000

local seed = 99
local function rand(m)
  seed = (seed * 16807) % 2147483647
  return seed % m
end

local function insertion(a, lo, hi, less)
  for i = lo + 1, hi do
    local v = a[i]
    local j = i - 1
    while j >= lo and less(v, a[j]) do
      a[j + 1] = a[j]
      j = j - 1
    end
    a[j + 1] = v
  end
end

local function qsort(a, lo, hi, less)
  while hi - lo > 12 do
    local mid = math.floor((lo + hi) / 2)
    if less(a[mid], a[lo]) then a[mid], a[lo] = a[lo], a[mid] end
    if less(a[hi], a[lo]) then a[hi], a[lo] = a[lo], a[hi] end
    if less(a[hi], a[mid]) then a[hi], a[mid] = a[mid], a[hi] end
    local pivot = a[mid]
    local i, j = lo, hi
    while i <= j do
      while less(a[i], pivot) do i = i + 1 end
      while less(pivot, a[j]) do j = j - 1 end
      if i <= j then
        a[i], a[j] = a[j], a[i]
        i = i + 1
        j = j - 1
      end
    end
    -- recurse into the smaller part, loop on the larger one
    if j - lo < hi - i then
      qsort(a, lo, j, less)
      lo = i
    else
      qsort(a, i, hi, less)
      hi = j
    end
  end
  insertion(a, lo, hi, less)
end

local records = {}
for i = 1, n do
  records[i] = { id = i, age = rand(90), score = rand(100000) }
end

-- by age, then by score descending, then by id: a total order
qsort(records, 1, n, function(x, y)
  if x.age ~= y.age then return x.age < y.age end
  if x.score ~= y.score then return x.score > y.score end
  return x.id < y.id
end)
local h = 0
for i = 1, n, 97 do h = (h * 31 + records[i].id) % 1000000007 end
print(string.format("by age: first id %d, last id %d, hash %d", records[1].id, records[n].id, h))

qsort(records, 1, n, function(x, y) return x.id < y.id end)
local ok = true
for i = 1, n do
  if records[i].id ~= i then ok = false end
end
print(string.format("by id: restored = %s", tostring(ok)))
