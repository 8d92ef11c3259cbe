-- Table constructors in traces: NEWTABLE with size hints, SETLIST with a
-- fixed count and up to a variable top ({f()}, {...}), lists longer than
-- one SETLIST batch, and collections while loops allocate.

local function three(i) return i, i * 2, i * 3 end
local function many(k)
  if k % 4 == 0 then return end
  return k, k + 1, k + 2, k + 3
end
local function pack(...) return { n = select("#", ...), ... } end

local s1, s2, s3 = 0, 0, 0
for i = 1, 3000 do
  local t = { three(i) }                  -- SETLIST up to a call's top
  s1 = s1 + #t + t[3]
  local u = { i, i + 1, many(i % 7) }     -- fixed items then a variable tail
  s2 = s2 + #u
  local p = pack(i, nil, i)               -- {n = ..., ...}
  s3 = s3 + p.n + (p[3] or 0)
end
print("calls", s1, s2, s3)

-- long constructors: several SETLIST batches
local big = 0
for i = 1, 500 do
  local t = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
              21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
              41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, i }
  big = big + #t + t[60] + t[51]
end
print("long", big)

-- mixed hash and array parts, nested constructors
local acc = 0
for i = 1, 2000 do
  local node = { key = i, left = { i }, right = { i, i }, [i % 5 + 10] = true, "a", "b" }
  acc = acc + node.key + #node.left + #node.right + #node + (node[i % 5 + 10] and 1 or 0)
end
print("mixed", acc)

-- varargs into tables from a vararg function called in a loop
local function collect(...)
  local t = { ... }
  local s = 0
  for j = 1, #t do s = s + t[j] end
  return s, select("#", ...)
end
local vs, vn = 0, 0
for i = 1, 2000 do
  local a, b = collect(i, i + 1, i % 3)
  vs, vn = vs + a, vn + b
end
print("varargs", vs, vn)

-- many short-lived tables: collections run while the loop allocates, and
-- a finalizer sees its object go
local gone = 0
local mt = { __gc = function() gone = gone + 1 end }
local keep = {}
for i = 1, 20000 do
  local t = { i, i + 1, x = i }
  if i % 1000 == 0 then keep[#keep + 1] = t end
  if i % 5000 == 0 then setmetatable({}, mt) end
end
collectgarbage()
collectgarbage()
print("alloc", #keep, keep[#keep].x, gone)

-- loops inside vararg functions reading `...` (the trace's own frame):
-- counts that change between calls, fewer arguments than wanted
local function vsum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
local function firsts(...)
  local r = 0
  for i = 1, 40 do
    local a, b, c = ...
    r = r + (a or 0) + (b or 0) * 2 + (c or 0) * 3
  end
  return r
end
local function spread(...)
  local n = 0
  for i = 1, 30 do
    local t = { ... }
    n = n + #t + select("#", ...)
  end
  return n
end
local va = 0
for i = 1, 300 do
  va = va + vsum(i, 1, 2) + vsum(i % 4, i % 3, i % 2, 1, 1) + vsum()
  va = va + firsts(i) + firsts(i, i) + firsts(1, 2, 3, 4)
  va = va + spread(i, nil, 3) + spread()
end
print("vararg loops", va)
