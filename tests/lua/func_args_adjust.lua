-- Argument adjustment: missing become nil, extras are dropped, varargs keep all.
local function two(a, b) return a, b end
print(two())
print(two(1))
print(two(1, 2, 3))
local function fixed_and_var(a, ...) return a, select('#', ...) end
print(fixed_and_var())
print(fixed_and_var(1, nil))
print(fixed_and_var(nil, nil, nil))
local function count(...) return select('#', ...) end
print(count(two(1, 2)), count(two(1, 2), 3), count((two(1, 2))))
print(count(nil, two()))
local function ret_nothing() end
print(count(ret_nothing()), count(ret_nothing(), ret_nothing()))
local function mutate(t) t.x = 1 t = {} t.y = 2 end
local obj = {}
mutate(obj)
print(obj.x, obj.y)
local function swap(a, b) return b, a end
print(swap(swap(1, 2)))
local function many() return 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 end
print(count(many()), count(many(), many()), count(many(), (many())))
print(math.max(many()), string.char(72, many() + 104))
