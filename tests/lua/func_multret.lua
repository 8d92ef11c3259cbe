-- Multiple results: truncation and expansion rules.
local function mr() return 1, 2, 3 end
local function none() end
print(mr())
print(mr(), 10)
print(10, mr())
print((mr()))
print(#{mr()}, ({mr()})[3])
local t = {mr(), mr()}
print(#t)
t = {mr(), (mr())}
print(#t)
t = {none()}
print(#t)
print(none())
print((none()))
print(select('#', none()), select('#', (none())))
local a, b, c, d = mr()
print(a, b, c, d)
print(mr() + 10)
print(string.rep("ab", mr()))
local function wrap() return mr() end
print(wrap())
local function wrap2() return (mr()) end
print(wrap2())
local function cond(x) if x then return mr() else return none() end end
print(select('#', cond(true)), select('#', cond(false)))
print(math.max(mr()), math.min(mr(), 0))
local s = "x" .. tostring(mr())
print(s)
print(#{n = 1, mr()})
local packed = table.pack(mr(), none())
print(packed.n)
local packed2 = table.pack(none(), mr())
print(packed2.n)
