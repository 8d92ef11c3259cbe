-- table library edge cases: float/string positions, out-of-range positions, move with
-- negative indices, concat ranges, sort argument errors.
local t = {1, 2, 3}
table.insert(t, 2.0, "x")
print(table.concat(t, ","))
print(pcall(table.insert, t, 2.5, "y"))
print(pcall(table.insert, t, "2", "y"), table.concat(t, ","))
print(table.remove(t, 4.0), table.concat(t, ","))
print(table.remove({}, 0), table.remove({[0] = "z"}, 0))
print(pcall(table.remove, {1, 2}, -1))
print(pcall(table.remove, {1, 2}, 4))
print(table.remove({1, 2}, 3))
local m = table.move({1, 2, 3}, 1, 3, -1)
print(m[-1], m[0], m[1], m[2], m[3])
local okm, mv = pcall(table.move, {[-1] = "m1", [0] = "z", "p1"}, -1, 1, 1)
print(okm, mv[1], mv[2], mv[3], mv[-1])
print(pcall(table.move, {1}, math.mininteger, 0, 1))
print(table.concat({[1] = "a", [2.0] = "b", [3] = "c"}, "-"))
print(table.concat({"a", "b", "c"}, ", ", 3, 3), table.concat({"a"}, ",", 1, 0) == "")
print(pcall(table.concat, {"a"}, ",", 1, 2))
print(table.unpack({"a", "b", "c"}, 2.0, 3.0))
print(pcall(table.unpack, {"a"}, 1.5))
print(#table.pack(table.unpack({1, 2, 3}, 1, 5)))
local s = {5, 3, 8, 1}
table.sort(s, nil)
print(table.concat(s, " "))
print(pcall(table.sort, {3, 1, 2}, "notfunc"))
print(pcall(table.sort, setmetatable({}, {__len = function() return math.maxinteger end})))
local big = {}
for i = 1, 100 do big[i] = (i * 37) % 101 end
table.sort(big, function(a, b) return a > b end)
print(big[1], big[50], big[100])
print(pcall(table.insert, setmetatable({}, {__newindex = function() error("ro") end}), 1))
print(next({}, nil), type(next), rawlen({nil, nil, 3}) >= 0)
