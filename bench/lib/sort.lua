-- table.sort of 100k numbers and strings, with and without a comparator.
local n = tonumber(arg and arg[1]) or 200000
local seed = 42
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end
local nums, strs = {}, {}
for i = 1, n do nums[i] = rnd() % 1000000; strs[i] = "s" .. (rnd() % 1000000) end
local function copy(t) local c = {} for i = 1, #t do c[i] = t[i] end return c end
local a = copy(nums); table.sort(a)
local b = copy(nums); table.sort(b, function(x, y) return x > y end)
local c = copy(strs); table.sort(c)
local d = copy(strs); table.sort(d, function(x, y) return x > y end)
print(a[1], a[n], b[1], b[n], c[1], c[n], d[1], d[n])
