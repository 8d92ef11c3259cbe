-- Table constructors: positional, [k]=v, named, trailing separators, nesting.
local t = {1, 2, 3, [10] = "ten", x = "ex", ["y z"] = "yz", [1.0 + 1] = "two?"}
print(t[1], t[2], t[3], t[10], t.x, t["y z"])
local u = {[1] = "a", [2] = "b", "c"}
print(u[1], u[2])
local v = {1, 2, 3,}
local w = {1; 2; 3;}
print(#v, #w)
local nested = {a = {b = {c = {d = "deep"}}}, {1, {2, {3}}}}
print(nested.a.b.c.d, nested[1][2][2][1])
print(#{}, next({}))
local k = "key"
local dyn = {[k] = 1, [k .. "2"] = 2, [true] = "T", [false] = "F"}
print(dyn.key, dyn.key2, dyn[true], dyn[false])
local f = {[1.5] = "float", [2^53] = "big", [-0.0] = "zero"}
print(f[1.5], f[2^53], f[0], f[0.0], f[math.tointeger(2^53)])
local i2f = {}
i2f[3.0] = "three"
print(i2f[3], math.type(next(i2f)))
local mixed = {"a", "b", n = 2, "c"}
print(#mixed, mixed.n, mixed[3])
local fn = {function() return "in table" end}
print(fn[1]())
print(pcall(function() local tt = {[nil] = 1} end))
local tt = {}
print(pcall(function() tt[nil] = 1 end))
print(tt[nil])
local big = {}
for i = 1, 100 do big[#big + 1] = i * i end
print(#big, big[50], big[100])
local sparse = {[1] = 1, [2] = 2, [4] = 4}
print(sparse[3], sparse[4])
local self_ref = {}
self_ref.me = self_ref
print(self_ref.me.me.me == self_ref)
local s = {"x", "y", [3] = "z", [4] = "w"}
print(table.concat(s))
