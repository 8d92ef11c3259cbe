-- table.sort: orders of equal elements, comparators, error detection.
local seed = 12345
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
for _, n in ipairs{0, 1, 2, 3, 4, 5, 7, 10, 50, 99, 100, 101, 257, 1000} do
  for _, range in ipairs{3, 1000} do
    local t = {}
    for i = 1, n do t[i] = {k = rnd(range), id = i} end
    table.sort(t, function(a, b) return a.k < b.k end)
    local ids = {}
    for i = 1, n do ids[i] = t[i].id end
    print(n, range, table.concat(ids, " "))
    local u = {}
    for i = 1, n do u[i] = rnd(range) end
    table.sort(u)
    print(table.concat(u, " "))
    table.sort(u, function(a, b) return a > b end)
    print(table.concat(u, " "))
  end
end
local words = {"pear", "apple", "fig", "banana", "kiwi", "cherry", "date", "grape"}
table.sort(words) print(table.concat(words, " "))
table.sort(words, function(a, b) return #a < #b end) print(table.concat(words, " "))
-- inconsistent comparators
for _, n in ipairs{2, 3, 4, 5, 10, 30, 100, 300} do
  local t = {} for i = 1, n do t[i] = rnd(100) end
  local calls = 0
  print(n, pcall(table.sort, t, function(a, b) calls = calls + 1 return true end), calls)
  local t2 = {} for i = 1, n do t2[i] = rnd(100) end
  print(n, pcall(table.sort, t2, function(a, b) return a <= b end))
  local t3 = {} for i = 1, n do t3[i] = i end
  print(n, pcall(table.sort, t3, function(a, b) return rnd(2) == 0 end), table.concat(t3, " "))
end
print(pcall(table.sort, {1, 2, nil, 4}))
print(pcall(table.sort, {1, "x", 3}))
print(pcall(table.sort, {{}, {}}))
local mt = setmetatable({}, {__lt = function(a, b) return a.v < b.v end})
local objs = {} for i = 1, 20 do objs[i] = setmetatable({v = rnd(50)}, getmetatable(mt)) end
table.sort(objs) local vs = {} for i = 1, 20 do vs[i] = objs[i].v end print(table.concat(vs, " "))
-- proxy table through metamethods
local store = {5, 3, 9, 1}
local proxy = setmetatable({}, {__index = store, __newindex = store, __len = function() return #store end})
table.sort(proxy) print(table.concat(store, " "))
table.insert(proxy, 7) table.insert(proxy, 1, 0) print(table.concat(store, " "), table.remove(proxy), table.remove(proxy, 1))
print(table.concat(table.move({1, 2, 3, 4, 5}, 2, 4, 1), ","), table.concat(table.move({1, 2, 3}, 1, 3, 3), ","))
print(table.concat(table.move({1, 2, 3}, 1, 3, 1, {}), ","), table.unpack({1, 2, 3}, 2), table.unpack({1, 2, 3}, 2, 5))
print(select("#", table.unpack({}, 1, 0)), select("#", table.unpack({n = 3}, 1, 3)))
print(pcall(table.concat, {1, 2}, nil, 1, 3), table.concat({}, "x"), table.concat({1, 2, 3}, "", 3, 2))
print(table.remove({}), table.remove({}, 1), #table.pack(), table.pack().n)
local t = {} for i = 1, 10 do table.insert(t, i) end
table.insert(t, 5, "x") print(table.concat(t, ","), #t)
print(table.remove(t, #t + 1), pcall(table.remove, t, #t + 2))
