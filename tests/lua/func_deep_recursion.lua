-- Non-tail recursion deep enough to need a growing stack (180000 Lua frames),
-- in the main thread, through pcall, inside a coroutine, and mutually recursive.
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(100000), depth(180000))
print(pcall(depth, 150000))
local co = coroutine.wrap(function(n) return depth(n) end)
print(co(120000))
local isodd
local function iseven(n) if n == 0 then return true end local r = isodd(n - 1) return r end
function isodd(n) if n == 0 then return false end local r = iseven(n - 1) return r end
print(iseven(100001), isodd(100001))
local function build(n) if n == 0 then return nil end return {next = build(n - 1), v = n} end
local list = build(50000)
local c, s = 0, 0
while list do c = c + 1 s = s + list.v list = list.next end
print(c, s)
local function sum_args(n, ...) if n == 0 then return select('#', ...) end return sum_args(n - 1, n, ...) end
print(pcall(sum_args, 100))
