-- Array growth and shrinking, # on proper sequences.
local t = {}
for i = 1, 10000 do t[i] = i end
print(#t, t[1], t[10000])
for i = 10000, 1, -1 do t[i] = nil end
print(#t, next(t))
for i = 1, 100 do t[#t + 1] = i end
print(#t)
for _ = 1, 40 do t[#t] = nil end
print(#t, t[60], t[61])
local h = {}
for i = 1, 1000 do h["k" .. i] = i end
local c = 0
for _ in pairs(h) do c = c + 1 end
print(c, h.k1, h.k1000)
for i = 1, 1000 do if i % 2 == 0 then h["k" .. i] = nil end end
c = 0
for _ in pairs(h) do c = c + 1 end
print(c, h.k2, h.k999)
local r = {}
for i = 100, 1, -1 do r[i] = i end
print(#r, r[1], r[100])
local m = {}
for i = 1, 50 do m[i] = i m[-i] = -i m[i + 0.5] = i end
c = 0
for _ in pairs(m) do c = c + 1 end
print(c, #m, m[-50], m[50.5])
print(#{1, 2, 3, nil, 5} >= 3)
print(#{n = 3})
local seq = {n = 1}
seq[1] = "a" seq[2] = "b" seq[3] = "c"
print(#seq)
print(rawlen({1, 2}), rawlen("abc"), pcall(rawlen, 5))
local g = {}
g[1] = 1 g[2] = 2 g[3] = 3
g[2] = nil g[2] = "again"
print(#g, g[2])
