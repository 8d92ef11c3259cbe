-- table.sort: results, stability of lua5.4's algorithm on equal keys, and
-- the errors of inconsistent or failing comparators.

local function show(t) print(table.concat(t, " ")) end

local t = { 5, 3, 9, 1, 7, 3, 8, 2, 6, 4 }
table.sort(t); show(t)
table.sort(t, function(a, b) return a > b end); show(t)
local s = { "pear", "apple", "fig", "banana", "kiwi", "apple" }
table.sort(s); show(s)
-- equal keys end up where lua5.4's quicksort puts them
local recs = {}
for i = 1, 40 do recs[i] = { k = i % 4, id = i } end
table.sort(recs, function(a, b) return a.k < b.k end)
local ids = {}
for i, r in ipairs(recs) do ids[i] = r.id end
show(ids)
-- mixed integers and floats, -0.0 and 0.0
local m = { 3, 2.5, -1, 0.0, -0.0, 2, 1e100, -1e100, 7 // 2, 3.0 }
table.sort(m)
for i, v in ipairs(m) do m[i] = tostring(v) end
show(m)
-- larger random arrays (deterministic generator)
local seed = 7
local big = {}
for i = 1, 3000 do seed = (seed * 16807) % 2147483647; big[i] = seed % 1000 end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print(ok, big[1], big[1500], big[3000])
-- errors
print(pcall(table.sort, { 3, 1, 2 }, function(a, b) return true end))
local bad = {}
for i = 1, 100 do bad[i] = i % 7 end
print(pcall(table.sort, bad, function(a, b) return true end))
print(pcall(table.sort, { 1, "x", 2 }))
print(pcall(table.sort, { 1, 2, 3 }, function(a, b) error("boom") end))
print(pcall(table.sort, { 1, 2 }, 3))
print(pcall(table.sort, { {}, {} }))
-- a comparator using __lt metamethods
local mt = { __lt = function(a, b) return a.v < b.v end }
local objs = {}
for i = 1, 8 do objs[i] = setmetatable({ v = (i * 5) % 8 }, mt) end
table.sort(objs)
local vs = {}
for i, o in ipairs(objs) do vs[i] = o.v end
show(vs)
