-- Closure creation and vararg calls inside hot loops.
local fs = {}
for i = 1, 3000 do
  local j = i * 2
  fs[i] = function(k) return i + j + (k or 0) end
end
local s = 0
for i = 1, 3000 do s = s + fs[i](1) end
print(s)
local function apply(f, ...) return f(...) end
local t = 0
for i = 1, 3000 do t = t + apply(function(a, b) return a * b end, i, 2) end
print(t)
local function va_sum(...)
  local r = 0
  for i = 1, select('#', ...) do r = r + (select(i, ...)) end
  return r
end
local vs = 0
for i = 1, 2000 do vs = vs + va_sum(i, i, i) end
print(vs)
local packs = 0
for i = 1, 2000 do local p = table.pack(i, nil, i) packs = packs + p.n + p[3] end
print(packs)
local counters = {}
for i = 1, 100 do
  local c = 0
  counters[i] = function() c = c + i return c end
end
local total = 0
for _ = 1, 30 do for i = 1, 100 do total = total + counters[i]() end end
print(total)
