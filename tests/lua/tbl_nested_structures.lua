-- Nested tables: matrices, trees, records, deep copies and comparisons.
local function matrix(n) local m = {} for i = 1, n do m[i] = {} for j = 1, n do m[i][j] = (i - 1) * n + j end end return m end
local function transpose(m) local t = {} for i = 1, #m do for j = 1, #m[i] do t[j] = t[j] or {} t[j][i] = m[i][j] end end return t end
local m = matrix(4)
local t = transpose(m)
for i = 1, 4 do print(table.concat(t[i], " ")) end
local function deepcopy(v)
  if type(v) ~= "table" then return v end
  local c = {}
  for k, x in pairs(v) do c[deepcopy(k)] = deepcopy(x) end
  return c
end
local function deepeq(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b end
  for k, v in pairs(a) do if not deepeq(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
local rec = {name = "root", kids = {{name = "a", kids = {}}, {name = "b", kids = {{name = "c", kids = {}}}}}, meta = {depth = 3, tags = {"x", "y"}}}
local copy = deepcopy(rec)
print(deepeq(rec, copy), copy ~= rec, copy.kids[2].kids[1].name)
copy.meta.tags[3] = "z"
print(deepeq(rec, copy), #rec.meta.tags, #copy.meta.tags)
local function names(node, out) out[#out + 1] = node.name for _, k in ipairs(node.kids) do names(k, out) end return out end
print(table.concat(names(rec, {}), ">"))
local grid = {}
for y = 1, 3 do grid[y] = {} for x = 1, 3 do grid[y][x] = {x = x, y = y, v = x * y} end end
local s = 0
for _, row in ipairs(grid) do for _, cell in ipairs(row) do s = s + cell.v end end
print(s, grid[3][2].v, #grid, #grid[1])
local deep = {}
local cur = deep
for i = 1, 100 do cur.next = {i = i} cur = cur.next end
local c, last = 0, nil
cur = deep.next
while cur do c = c + 1 last = cur.i cur = cur.next end
print(c, last)
