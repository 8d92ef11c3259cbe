-- select, rawequal, next edge cases, and the vararg main chunk.
print(select('#'), select('#', nil), select('#', nil, nil, nil))
print(select(1, 'a', 'b'), select(2, 'a', 'b'), select(3, 'a', 'b'))
print(select(-1, 1, 2, 3), select(-3, 1, 2, 3))
print(select(2.0, "x", "y"))
print(pcall(select, 1.5, "x"))
print(select('#', ...), ...)
print(arg and arg[0], arg and #arg)
print(rawequal(nil, nil), rawequal(0, -0), rawequal(0, 0.0), rawequal("", ""), rawequal({}, {}))
print(pcall(rawequal, 1))
local t = {10, 20, 30}
local k, v = next(t)
print(t[k] == v, math.type(k))
local seen, key = 0, next(t)
while key do seen = seen + 1 key = next(t, key) end
print(seen)
print(next({}, nil))
