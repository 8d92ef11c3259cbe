-- break in nested loops of every kind.
for i = 1, 3 do
  for j = 1, 3 do
    if j > i then break end
    io.write(i, j, " ")
  end
end
print()
local n = 0
while true do
  n = n + 1
  repeat
    if n > 2 then break end
    io.write("r", n, " ")
  until true
  if n >= 4 then break end
end
print()
for _, v in ipairs({1, 2, 3, 4}) do
  if v == 3 then break end
  io.write(v, " ")
end
print()
local function find(t, x)
  for i = 1, #t do
    if t[i] == x then return i end
  end
  return nil
end
print(find({5, 6, 7}, 6), find({5, 6, 7}, 9))
local found
for i = 1, 10 do
  for j = 1, 10 do
    if i * j == 42 then found = i .. "x" .. j break end
  end
  if found then break end
end
print(found)
