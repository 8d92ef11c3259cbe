-- Numeric for with float/huge/NaN limits and steps, float loops at 2^53, closures
-- modifying their own copy of the control variable.
local function c(a, b, s) local t = {} for i = a, b, s or 1 do t[#t + 1] = tostring(i) if #t > 6 then break end end return table.concat(t, " ") end
print(c(1, 2.9), "|", c(1, 0.5), "|", c(-1, -1.5, -1), "|", c(math.maxinteger, 1e100), "|", c(math.mininteger, -1e100, -1))
print(c(1, -1e100), "|", c(3, 2.5, -1), "|", c(0, 1e-300), "|", c(0, -1e-300), "|", c(5, 5.0), "|", c(5.5, 7))
print(c(1, 0/0), "|", c(1.0, 0/0), "|", c(0/0, 1), "|", c(1, math.huge, 1e300))
print(c(2^53, 2^53 + 4), "|", c(math.tointeger(2^53), 2^53 + 4))
print(c(1, 10, 4.0), "|", c(10, 1, -4.5), "|", c(1, 3, "1"))
print(pcall(c, 1, 3, 1/0 - 1/0))
local f = {}
for i = 1, 3 do f[i] = function() i = i + 10 return i end end
print(f[1](), f[1](), f[2](), f[3]())
local n = 0
for i = 1, 3 do for i = i, 3 do n = n + 1 end end
print(n)
