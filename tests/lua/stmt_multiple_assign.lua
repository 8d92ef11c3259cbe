-- Multiple assignment: evaluation rules that Lua defines.
local a, b = 1, 2
a, b = b, a
print(a, b)
local x, y, z = 1
print(x, y, z)
x, y = 1, 2, 3
print(x, y)
local function three() return 1, 2, 3 end
local p, q, r, s = three()
print(p, q, r, s)
p, q, r, s = 0, three()
print(p, q, r, s)
p, q, r, s = three(), 10
print(p, q, r, s)
p, q = (three())
print(p, q)
local t = {}
t[1], t[2], t[3] = three()
print(t[1], t[2], t[3])
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local u = {1, 2, 3}
local j = 1
u[j], j = 99, 2
print(u[1], u[2], j)
-- swap through table fields
local v = {x = 1, y = 2}
v.x, v.y = v.y, v.x
print(v.x, v.y)
-- globals
g1, g2 = "G1", "G2"
print(g1, g2)
g1, g2 = g2, g1
print(g1, g2)
local n1, n2 = nil, nil
print(n1, n2)
local m = {three()}
print(#m)
local m2 = {three(), three()}
print(#m2, m2[1], m2[2], m2[4])
local m3 = {(three())}
print(#m3)
