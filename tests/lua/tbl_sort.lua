-- table.sort with and without comparators, and its errors.
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local words = {"pear", "Apple", "fig", "banana", "cherry", "apple"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(words, " "))
local recs = {{n = "c", v = 3}, {n = "a", v = 1}, {n = "b", v = 2}, {n = "d", v = 1}}
table.sort(recs, function(x, y) if x.v ~= y.v then return x.v < y.v end return x.n < y.n end)
for _, r in ipairs(recs) do io.write(r.n, r.v, " ") end
print()
local mixed = {3, 1.5, 2, -1, 2.5}
table.sort(mixed)
print(table.concat(mixed, " "))
print(pcall(table.sort, {{}, {}}))
local ok, err = pcall(table.sort, {5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12}, function(a, b) return true end)
print(ok, err)
print(pcall(table.sort, {1, 2, 3}, 5))
local big = {}
local x = 12345
for i = 1, 2000 do x = (x * 1103515245 + 12345) % 2147483648 big[i] = x % 1000 end
table.sort(big)
local sorted = true
for i = 2, #big do if big[i - 1] > big[i] then sorted = false end end
print(sorted, big[1], big[2000])
local one = {42}
table.sort(one)
print(one[1])
table.sort({})
local withmt = setmetatable({}, {__lt = function(a, b) return a.k < b.k end})
local objs = {}
for i, k in ipairs({4, 2, 3, 1}) do objs[i] = setmetatable({k = k}, getmetatable(withmt)) end
table.sort(objs)
for _, o in ipairs(objs) do io.write(o.k, " ") end
print()
local strs = {}
for i = 1, 30 do strs[i] = tostring(i) end
table.sort(strs)
print(table.concat(strs, " "))
