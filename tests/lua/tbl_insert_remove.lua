-- table.insert and table.remove, including errors.
local t = {}
table.insert(t, "a")
table.insert(t, "c")
table.insert(t, 2, "b")
table.insert(t, 1, "start")
table.insert(t, #t + 1, "end")
print(table.concat(t, ","), #t)
print(table.remove(t), table.concat(t, ","))
print(table.remove(t, 1), table.concat(t, ","))
print(table.remove(t, 2), table.concat(t, ","))
print(table.remove({}), table.remove({}, 0), table.remove({}, 1))
local u = {1, 2, 3}
print(table.remove(u, #u + 1), #u)
print(pcall(table.insert, {1, 2}, 5, "x"))
print(pcall(table.insert, {1, 2}, 0, "x"))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}))
print(pcall(table.remove, {1, 2, 3}, 7))
print(pcall(table.insert, {}, "x", 1))
local q = {}
for i = 1, 10 do table.insert(q, i) end
while #q > 0 do io.write(table.remove(q, 1), " ") end
print()
local st = {}
for i = 1, 5 do table.insert(st, 1, i) end
print(table.concat(st, " "))
local z = {[0] = "zero"}
print(table.remove(z, 0), z[0])
local n = {n = 1}
table.insert(n, "first")
print(n[1], n.n)
