-- jit_table_outside.lua: integer keys outside a table's array part read in
-- a trace (record.c: GETI_T, GETTAB_TI, a raw lookup through the helper):
-- absent keys, keys in the hash part, zero and negative keys, tables that
-- grow and rehash mid-loop, and a metatable set mid-loop (its __index
-- must then be honoured).
local leaf, node = {7}, {1, {2}, {3}}
local n1, n2 = 0, 0
for i = 1, 300 do
  local t = (i % 3 == 0) and node or leaf
  if t[2] then n1 = n1 + t[2][1] else n2 = n2 + t[1] end
end
print("leaves", n1, n2)

local sparse = {}
for k = -5, 50, 5 do sparse[k * 10] = k end
local s, misses = 0, 0
for rep = 1, 4 do
  for k = -60, 520 do
    local v = sparse[k]
    if v then s = s + v else misses = misses + 1 end
  end
end
print("sparse", s, misses)

local grow = {}
local seen = 0
for i = 1, 400 do
  grow[i * 2] = i            -- rehashes as it grows
  if grow[i] then seen = seen + grow[i] end
  if grow[0] then seen = seen + 1000 end
end
print("grow", seen)

local t = {1, 2, 3}
local total = 0
for i = 1, 200 do
  if i == 120 then
    setmetatable(t, {__index = function(_, k) return k * 100 end})
  end
  total = total + (t[4] or 0) + (t[i % 7 + 1] or 0)
end
print("meta", total)

local mixed = {10, 20, [5] = "five", [6] = 6.5, [7] = true, [8] = {}}
local kinds = {}
for rep = 1, 60 do
  for k = 3, 9 do
    local ty = type(mixed[k])
    kinds[ty] = (kinds[ty] or 0) + 1
  end
end
print("kinds", kinds["nil"], kinds.string, kinds.number, kinds.boolean, kinds.table)
