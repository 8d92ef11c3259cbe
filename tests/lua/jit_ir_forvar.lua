-- For loops whose body assigns the loop variable (a local copy in Lua 5.4:
-- the loop still counts on), float loops with negative steps, and nested
-- loops that get side traces.
local out = {}
for i = 1, 20 do
  local j = i
  i = i * 10
  out[#out + 1] = i + j
end
print(table.concat(out, " "))
local s = 0
for i = 10, 1, -1 do
  i = i + 0.5
  s = s + i
end
print(s)
local f = 0.0
for x = 5.0, -5.0, -0.25 do f = f + x * x end
print(f)
local c = 0
for x = 1.0, -1.0, -0.1 do c = c + 1 end
print(c)
for x = 3.5, 0, -1.5 do io.write(x, " ") end
print()
local g = 0
for x = -0.5, -10.5, -2 do g = g + x end
print(g)
-- a float loop variable overwritten by an integer
local h = 0
for x = 2.0, 20.0, 2.0 do x = math.floor(x) h = h + x end
print(h, math.type(h))
-- nested loops: the inner loop's trip count varies (side traces, exits to
-- the outer loop)
local total = 0
for i = 1, 30 do
  for j = 1, i % 7 do
    total = total + j * i
  end
  for k = i, 1, -3 do
    if k % 5 == 0 then total = total - k else total = total + 1 end
  end
end
print(total)
local grid = {}
for y = 1, 12 do
  local row = {}
  for x = 1, 12 do row[x] = (x * y) % 7 == 0 and x or y * 0.5 end
  grid[y] = row
end
local gs = 0
for y = 1, 12 do
  local row = grid[y]
  for x = 1, 12 do gs = gs + row[x] end
end
print(gs)
-- a while loop around a for loop around a repeat loop
local w, n = 0, 0
while n < 25 do
  n = n + 1
  for i = 1, n % 4 do
    local r = i
    repeat r = r - 1 w = w + r until r <= 0
  end
end
print(w, n)
