-- Float for loops: counts and accumulated values.
local function count(a, b, s) local n = 0 for _ = a, b, s do n = n + 1 end return n end
print(count(0, 1, 0.1), count(0, 1, 0.25), count(1, 0, -0.5), count(0.5, 0.5, 1), count(0, 0.3, 0.1))
local vals = {}
for x = 0, 1, 0.25 do vals[#vals + 1] = x end
print(table.concat(vals, " "))
vals = {}
for x = 1, 0, -0.3 do vals[#vals + 1] = string.format("%.1f", x) end
print(table.concat(vals, " "))
for x = 1, 2, 1.0 do io.write(math.type(x), " ") end
print()
for x = 1.5, 3 do io.write(x, " ") end
print()
print(count(1, 1e308, 1e307), count(-1e308, 0, 1e307))
print(count(1, 1e15, 1e14))
local last
for x = 0, 100, 0.7 do last = x end
print(string.format("%.10g", last))
