-- Deep __index chains and rawget/rawset interplay under repeated access.
local base = {a = 1}
local cur = base
for i = 1, 20 do cur = setmetatable({["k" .. i] = i}, {__index = cur}) end
print(cur.a, cur.k1, cur.k20, cur.missing)
local s = 0
for _ = 1, 2000 do s = s + cur.a + cur.k10 end
print(s)
base.a = 100
print(cur.a)
rawset(cur, "a", -1)
print(cur.a, rawget(cur, "k1"), rawget(cur, "k20"))
local fcount = 0
local lazy = setmetatable({}, {__index = function(t, k) fcount = fcount + 1 local v = k * k rawset(t, k, v) return v end})
local tot = 0
for _ = 1, 3 do for i = 1, 100 do tot = tot + lazy[i] end end
print(tot, fcount)
local ni = 0
local tracker = setmetatable({}, {__newindex = function(t, k, v) ni = ni + 1 rawset(t, k, v) end})
for i = 1, 50 do tracker[i] = i end
for i = 1, 50 do tracker[i] = i * 2 end
print(ni, tracker[50])
