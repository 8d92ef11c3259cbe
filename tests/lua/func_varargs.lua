-- Varargs, select, table.pack/unpack.
local function count(...) return select('#', ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
local function last(...) return select(-1, ...) end
print(last(1, 2, 3), last("only"))
print(select(2, "a", "b", "c"), select(3, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, -5, "a"))
print(pcall(select, "x"))
local function pass(...) return ... end
print(pass(1, 2, 3))
print((pass(1, 2, 3)))
local function pack(...) return {n = select('#', ...), ...} end
local p = pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])
local tp = table.pack(nil, nil)
print(tp.n, #tp)
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(table.unpack({}, 1, 0))
print(select('#', table.unpack({}, 1, 3)))
local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(1, 2, 3, 4, 5))
local function varmid(a, ...)
  local b, c = ...
  return a, b, c, select('#', ...)
end
print(varmid(1))
print(varmid(1, 2, 3, 4))
local function tail(...) return select('#', ...), ... end
print(tail(nil, nil, nil))
local big = {}
for i = 1, 200 do big[i] = i end
print(select('#', table.unpack(big)), sum(table.unpack(big)))
print(string.format("%s %s %s", pass("x", "y", "z")))
local function f(...)
  local t = {...}
  local a = ...
  return #t, a
end
print(f(9, 8, 7))
print(pcall(table.unpack, {}, 1, 1e8))
