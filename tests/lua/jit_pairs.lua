-- pairs, next and ipairs loops inside traces: the iterator's call done in
-- the trace (array and hash parts, holes, metatables, __pairs, values
-- changed or cleared during the traversal, an invalid key's error).

local function sorted_keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = tostring(k) end
  table.sort(ks)
  return table.concat(ks, ",")
end

local dict = {alpha = 1, beta = 2, gamma = 3, delta = 4.5, [10] = 7, [2.5] = 1}
local arr = {}
for i = 1, 30 do arr[i] = i * 2 end

-- sums over pairs and ipairs, repeated so the loops get traces
local s1, s2, s3, n = 0, 0, 0, 0
for r = 1, 300 do
  for k, v in pairs(dict) do s1 = s1 + v end
  for i, v in ipairs(arr) do s2 = s2 + i * v end
  for k, v in pairs(arr) do s3 = s3 + k + v end
  for k in pairs(dict) do n = n + 1 end
end
print("sums", s1, s2, s3, n)

-- three names for pairs' two values; next called directly as iterator
local extra = 0
for r = 1, 200 do
  for k, v, x in pairs(dict) do if x == nil then extra = extra + 1 end end
  for k, v in next, arr do extra = extra + v end
end
print("names", extra)

-- values of changing types, and holes that end ipairs early
local mixed = {1, 2.5, "x", true, 5, nil, 7}
local cnt, fl = 0, 0
for r = 1, 300 do
  for i, v in ipairs(mixed) do
    cnt = cnt + 1
    if math.type(v) == "float" then fl = fl + v end
  end
end
print("mixed", cnt, fl)

-- values assigned and fields cleared during the traversal (allowed)
local t = {}
for r = 1, 100 do
  for i = 1, 20 do t["k" .. i] = i end
  for k, v in pairs(t) do
    if v % 3 == 0 then t[k] = nil else t[k] = v * 2 end
  end
end
print("changed", sorted_keys(t))

-- ipairs over a table with __index: the metamethod runs
local proxy = setmetatable({}, {__index = function(_, i) if i <= 5 then return i * 10 end end})
local ps = 0
for r = 1, 200 do for i, v in ipairs(proxy) do ps = ps + v end end
print("__index", ps)

-- pairs over a table with __pairs returning a Lua iterator
local obj = setmetatable({}, {__pairs = function(o)
  return function(_, k) k = (k or 0) + 1 if k <= 4 then return k, k * k end end, o, nil
end})
local qs = 0
for r = 1, 200 do for k, v in pairs(obj) do qs = qs + v end end
print("__pairs", qs)

-- the array grows during some traversals (ipairs sees the new elements)
local grow = {1, 2, 3}
local gs = 0
for r = 1, 100 do
  for i, v in ipairs(grow) do
    gs = gs + v
    if r % 25 == 0 and i == #grow and i < 40 then grow[i + 1] = i + 1 end
  end
end
print("grow", gs, #grow)

-- an invalid key to next, reached from a trace
local ok, err = pcall(function()
  local c = 0
  for r = 1, 300 do
    local start = r == 250 and "nosuchkey" or nil
    for k, v in next, dict, start do c = c + 1 end
  end
  return c
end)
print("invalid", ok, err)

-- next over something that is not a table: the interpreter's error
ok, err = pcall(function()
  local c = 0
  for r = 1, 300 do
    local tt = r == 200 and 42 or dict
    for k in next, tt do c = c + 1 end
  end
  return c
end)
print("not a table", ok, err)
