-- rawget/rawset/rawequal/rawlen, next and pairs with deletions.
local mt = {__index = function() return "meta" end, __newindex = function() error("blocked") end}
local t = setmetatable({}, mt)
print(t.x, rawget(t, "x"))
print(pcall(function() t.y = 1 end))
rawset(t, "y", 2)
print(t.y, rawget(t, "y"))
print(rawequal(t, t), rawequal(t, {}), rawequal("a", "a"), rawequal(1, 1.0))
print(rawlen({1, 2, 3}), rawlen("four"))
print(pcall(rawget, "str", 1))
print(pcall(rawset, {}, nil, 1))
print(rawset(t, 1, "one") == t)
local ordered = {}
for i = 1, 5 do ordered[i] = i * 10 end
local k, v = next(ordered)
local seen = 0
while k do seen = seen + v k, v = next(ordered, k) end
print(seen)
local h = {a = 1, b = 2, c = 3, d = 4}
local removed = 0
for key in pairs(h) do h[key] = nil removed = removed + 1 end
print(removed, next(h))
print(type(next), type(pairs({})))
local p1, p2, p3 = pairs(ordered)
print(p1 == next, p2 == ordered, p3)
local i1, i2, i3 = ipairs(ordered)
print(type(i1), i2 == ordered, i3)
