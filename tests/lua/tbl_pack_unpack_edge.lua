-- table.pack/unpack edge cases: n field, nil holes, explicit ranges, large counts.
local p = table.pack()
print(p.n, #p, next(p))
p = table.pack(nil)
print(p.n, p[1])
p = table.pack(1, nil, nil, 4)
print(p.n, p[1], p[4])
print(table.unpack(p, 1, p.n))
print(table.unpack({1, 2, 3}, 3))
print(table.unpack({1, 2, 3}, 4))
print(table.unpack({[0] = "zero", "one"}, 0, 1))
print(table.unpack({"a", "b", "c"}, -1, 1))
print(select('#', table.unpack({}, 1, 100)))
print(pcall(table.unpack, {}, 1, 1e7))
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger))
print(table.unpack({1, 2}, 2, 1))
local big = {}
for i = 1, 10000 do big[i] = i end
local function count(...) return select('#', ...) end
print(count(table.unpack(big)))
local a, b, c = table.unpack({"x", "y", "z", "w"})
print(a, b, c)
print(table.unpack({1, 2, 3}, "2"))
print(pcall(table.unpack, {}, "x"))
