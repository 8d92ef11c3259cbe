-- Recursive functions called many times (hot call paths).
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(24))
local function tak(x, y, z) if y >= x then return z end return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) end
print(tak(18, 12, 6))
local function gcd(a, b) if b == 0 then return a end return gcd(b, a % b) end
local g = 0
for i = 1, 3000 do g = g + gcd(i, 360) end
print(g)
local function pow(b, e) if e == 0 then return 1 end local h = pow(b, e // 2) if e % 2 == 0 then return h * h end return h * h * b end
print(pow(3, 30), pow(2, 62), pow(2.0, 70))
local memo = {}
local function ways(n) if n < 0 then return 0 end if n == 0 then return 1 end if memo[n] then return memo[n] end local r = ways(n - 1) + ways(n - 2) + ways(n - 3) memo[n] = r return r end
print(ways(60))
local function flat(t, out) for _, v in ipairs(t) do if type(v) == "table" then flat(v, out) else out[#out + 1] = v end end return out end
print(table.concat(flat({1, {2, {3, {4, {5}}}}, {{6}}, 7}, {}), ","))
