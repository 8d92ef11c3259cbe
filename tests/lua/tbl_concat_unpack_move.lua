-- table.concat, table.unpack, table.pack, table.move.
print(table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", "))
print(table.concat({"a", "b", "c"}, "-", 2), table.concat({"a", "b", "c"}, "-", 2, 2))
print("[" .. table.concat({}, "x") .. "]", "[" .. table.concat({"a"}, "x", 3, 2) .. "]")
print(table.concat({1.5, 2, "s"}, " "))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, nil, 3}, ",", 1, 3))
print(pcall(table.concat, {true}))
local p = table.pack(1, "two", nil)
print(p.n, p[1], p[2], p[3])
print(table.unpack({1, 2, 3}, -1, 1))
print(table.unpack({"a", "b"}, 1, 3))
local a = {1, 2, 3, 4, 5}
table.move(a, 2, 4, 1)
print(table.concat(a, ","))
a = {1, 2, 3, 4, 5}
table.move(a, 1, 3, 3)
print(table.concat(a, ","))
local b = table.move({1, 2, 3}, 1, 3, 2, {})
print(b[1], b[2], b[3], b[4])
local c = table.move({}, 1, 0, 1, {"keep"})
print(c[1])
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {1}, 1, 1, 1, 5))
local big = {}
for i = 1, 100 do big[i] = i end
local moved = table.move(big, 51, 100, 1, {})
print(#moved, moved[1], moved[50])
print(table.concat({"a", "b"}, "", 1, 2))
local nums = {}
for i = 1, 20 do nums[i] = i / 4 end
print(table.concat(nums, " "))
