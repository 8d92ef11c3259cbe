-- Key normalisation: float keys with integer values, -0.0, strings vs numbers.
local t = {}
t[1] = "one"
t[1.0] = "one-float"
print(t[1], #t)
t[2^53] = "big"
print(t[math.tointeger(2^53)], t[2^53])
t[-0.0] = "negzero"
print(t[0], t[0.0])
t["1"] = "string one"
print(t[1], t["1"])
t[1.5] = "one and a half"
print(t[1.5], t[3 / 2])
local keys = {}
for k in pairs(t) do keys[#keys + 1] = math.type(k) or type(k) end
table.sort(keys)
print(table.concat(keys, " "))
print(pcall(function() t[0/0] = 1 end))
print(t[0/0])
t[math.huge] = "inf"
print(t[math.huge], t[-math.huge])
local u = {[1] = "a", [2.0] = "b", [3] = "c"}
print(#u, u[2])
local v = {}
v[2^63] = "float key"
print(v[2^63], v[math.mininteger])
local w = {true, false, nil, 4}
print(w[1], w[2], w[3], w[4])
w[true] = "T"
print(w[true], w[1])
