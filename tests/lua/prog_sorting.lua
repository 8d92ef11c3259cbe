-- Sorting algorithms written in Lua, checked against table.sort.
local function lcg(seed) local s = seed return function() s = (s * 1103515245 + 12345) % 2147483648 return s % 10000 end end
local function gen(n, seed) local r, t = lcg(seed), {} for i = 1, n do t[i] = r() end return t end
local function copy(t) local c = {} for i = 1, #t do c[i] = t[i] end return c end
local function same(a, b) if #a ~= #b then return false end for i = 1, #a do if a[i] ~= b[i] then return false end end return true end
local function insertion(t)
  for i = 2, #t do local v, j = t[i], i - 1 while j >= 1 and t[j] > v do t[j + 1] = t[j] j = j - 1 end t[j + 1] = v end
  return t
end
local function quick(t, lo, hi)
  lo, hi = lo or 1, hi or #t
  if lo >= hi then return t end
  local p, i = t[(lo + hi) // 2], lo
  local j = hi
  while i <= j do
    while t[i] < p do i = i + 1 end
    while t[j] > p do j = j - 1 end
    if i <= j then t[i], t[j] = t[j], t[i] i, j = i + 1, j - 1 end
  end
  quick(t, lo, j) quick(t, i, hi)
  return t
end
local function merge(t)
  if #t <= 1 then return t end
  local mid = #t // 2
  local l, r = {}, {}
  for i = 1, mid do l[#l + 1] = t[i] end
  for i = mid + 1, #t do r[#r + 1] = t[i] end
  l, r = merge(l), merge(r)
  local out, i, j = {}, 1, 1
  while i <= #l and j <= #r do if l[i] <= r[j] then out[#out + 1] = l[i] i = i + 1 else out[#out + 1] = r[j] j = j + 1 end end
  while i <= #l do out[#out + 1] = l[i] i = i + 1 end
  while j <= #r do out[#out + 1] = r[j] j = j + 1 end
  return out
end
local function heap(t)
  local n = #t
  local function sift(i, size)
    while true do
      local l, r, m = 2 * i, 2 * i + 1, i
      if l <= size and t[l] > t[m] then m = l end
      if r <= size and t[r] > t[m] then m = r end
      if m == i then return end
      t[i], t[m] = t[m], t[i]
      i = m
    end
  end
  for i = n // 2, 1, -1 do sift(i, n) end
  for last = n, 2, -1 do t[1], t[last] = t[last], t[1] sift(1, last - 1) end
  return t
end
for _, n in ipairs({0, 1, 2, 10, 500}) do
  local data = gen(n, n + 7)
  local ref = copy(data)
  table.sort(ref)
  print(n, same(insertion(copy(data)), ref), same(quick(copy(data)), ref), same(merge(copy(data)), ref), same(heap(copy(data)), ref), ref[1], ref[#ref])
end
local d = gen(20, 3)
print(table.concat(quick(d), " "))
