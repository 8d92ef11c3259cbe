-- Generic for with custom iterators, pairs, ipairs and next.
local function range(n)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i end
  end
end
for i in range(4) do io.write(i, " ") end
print()
-- stateless iterator
local function iter(t, i)
  i = i + 1
  if t[i] then return i, t[i] end
end
for i, v in iter, {"a", "b", "c"}, 0 do io.write(i, "=", v, " ") end
print()
for i, v in ipairs({10, 20, nil, 40}) do io.write(i, ":", v, " ") end
print()
local t = {x = 1, y = 2, z = 3, 1, 2}
local keys = {}
for k in pairs(t) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, ","))
local sum = 0
for k, v in next, t do sum = sum + v end
print(sum)
print(next({}), next({5}))
print(pcall(next, {}, "nokey"))
-- closing value (4th value) of the generic for
local log = {}
do
  local closer = setmetatable({}, {__close = function() log[#log + 1] = "closed" end})
  for i in range(3), nil, nil, closer do
    if i == 2 then break end
  end
end
print(log[1])
-- iterator returning multiple values
local function pairs2(t)
  local i = 0
  return function()
    i = i + 1
    if t[i] then return i, t[i], t[i] * 2 end
  end
end
for a, b, c in pairs2({5, 6}) do print(a, b, c) end
-- modifying existing fields during traversal is allowed
local m = {a = 1, b = 2, c = 3}
for k in pairs(m) do m[k] = nil end
print(next(m))
-- ipairs stops at first nil and respects __index
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 100 end end})
for i, v in ipairs(proxy) do io.write(i, "=", v, " ") end
print()
print(pcall(ipairs))
