-- varargs.lua: variable argument functions: select('#') and select(i),
-- packing into tables, unpacking, forwarding ... through several calls, and
-- multiple return values adjusted in different positions.
-- bench-group: closures
-- bench-quick: 2000
-- usage: varargs.lua [n]   (default 700000)

local n = tonumber(arg and arg[1]) or 700000
local unpack = table.unpack or unpack

local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end

local function pack(...)
  return { n = select("#", ...), ... }
end

local function forward(f, ...) return f(...) end
local function twice(...) return forward(sum, ...), forward(sum, ...) end

local function swap3(a, b, c) return c, b, a end
local function many(k) return k, k + 1, k + 2, k + 3 end

local function count_nils(...)
  local c = 0
  local t = pack(...)
  for i = 1, t.n do
    if t[i] == nil then c = c + 1 end
  end
  return c
end

local total = 0
for i = 1, n do
  local a, b = twice(i, 1, 2, 3)
  total = total + a + b
  local x, y, z = swap3(many(i % 10))
  total = total + x * 100 + y * 10 + z
  local t = { many(i % 5) }
  total = total + #t + sum(unpack(t))
  total = total + count_nils(nil, i, nil) + select("#", many(1), many(2))
  total = total + sum(many(i % 3), 100)
end
print(string.format("total %d", total))
