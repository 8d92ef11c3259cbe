-- Table constructors with list items inside traces (NEWTABLE, SETLIST
-- with fixed counts and in batches of 50), nested, with nils and hash
-- items, under GC pressure; and {f()} / {...} with all results.

local s = 0
for i = 1, 300 do
  local t = {i, i + 1, i * 2, "x"}
  s = s + t[1] + t[3] + #t
  local u = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
             19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
             35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
             51, 52, 53, 54, 55, i}
  s = s + u[56] + #u + u[50]
  local w = {a = i, i, i, b = {i, {i}}}
  s = s + w.a + w[2] + w.b[2][1]
end
print("constructors", s)

-- nils inside the list, and values of every type
local c = 0
for i = 1, 300 do
  local t = {i, nil, i % 2 == 0 and "even" or nil, true, 2.5}
  if t[2] == nil then c = c + 1 end
  if t[3] then c = c + 10 end
  c = c + t[5]
end
print("nils", c)

-- many small tables kept alive while collections run
local keep = {}
for i = 1, 2000 do
  keep[i % 100 + 1] = {i, {i + 1}, "s" .. i}
  if i % 500 == 0 then collectgarbage() end
end
local k = 0
for i = 1, 100 do k = k + keep[i][1] + keep[i][2][1] end
print("gc", k)

-- all results of a call or of ... in a constructor
local function three(x) return x, x + 1, x + 2 end
local function pack(...) return {...} end
local n = 0
for i = 1, 300 do
  local t = {three(i)}
  local p = pack(i, i, i, i)
  n = n + #t + t[3] + #p
end
print("all results", n)
