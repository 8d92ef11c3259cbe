-- Many arguments and results passing through calls, returns, tables and varargs.
local function range(n) local t = {} for i = 1, n do t[i] = i end return table.unpack(t) end
local function count(...) return select('#', ...) end
print(count(range(250)), count(range(1000)), count(range(5000)))
local function sum(...) local s = 0 for i = 1, select('#', ...) do s = s + (select(i, ...)) end return s end
print(sum(range(1000)))
local function pass(...) return ... end
print(count(pass(range(2000))), select(2000, pass(range(2000))))
local t = {range(3000)}
print(#t, t[3000])
local function tail(...) return pass(...) end
print(count(tail(range(1500))))
local co = coroutine.wrap(function(...) local r = {coroutine.yield(...)} return #r end)
print(count(co(range(800))))
print(co(range(900)))
print(count(pcall(range, 700)))
print(select(-1, range(4000)))
local p = table.pack(range(1234))
print(p.n, p[1234])
print(math.max(range(3000)), math.min(range(3000)))
print(#string.char(range(255)))
