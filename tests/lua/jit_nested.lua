-- Nested loops, side traces and linked exits: inner loops get traces first,
-- the outer loop continues in side traces linked to them; branches that
-- change direction mid-run get side traces of their own.
local function tri(n)
  local s = 0
  for i = 1, n do
    for j = i, n do s = s + j end -- empty when i > n, skipped at the end
  end
  return s
end
print(tri(10), tri(100), tri(0), tri(1))

-- Inner loop skipped on some outer iterations (FORPREP skip path).
local function skipper(n)
  local c = 0
  for i = 1, n do
    for j = 1, i % 4 do c = c + j end
    for j = 10, i % 3, -3 do c = c - 1 end
  end
  return c
end
print(skipper(200))

-- Float inner loops, float outer loop.
local acc = 0.0
for x = 0.5, 20, 0.5 do
  for y = x, 0, -0.25 do acc = acc + y * 0.5 end
end
print(string.format("%.6f", acc))

-- while and repeat inside for; break in the middle.
local function collatz_max(n)
  local best, besti = 0, 0
  for i = 1, n do
    local x, steps = i, 0
    while x ~= 1 do
      if x % 2 == 0 then x = x // 2 else x = 3 * x + 1 end
      steps = steps + 1
    end
    if steps > best then best, besti = steps, i end
  end
  return best, besti
end
print(collatz_max(3000))

local function first_square_over(lim)
  local i = 0
  repeat
    i = i + 1
    local k = 0
    repeat k = k + 1 until k * k >= i
    if i * i > lim then break end
  until false
  return i
end
print(first_square_over(5000))

-- Three levels, inner bound depends on outer variables; a branch that is
-- taken only in the second half.
local function cube(n)
  local s, t = 0, 0
  for i = 1, n do
    for j = 1, i do
      for k = j, i do
        s = s + k
        if i > n // 2 then t = t + 1 else t = t - 1 end
      end
    end
  end
  return s, t
end
print(cube(30))

-- Generic for inside numeric for and the reverse; ipairs and pairs.
local t = {}
for i = 1, 50 do t[i] = i * i end
local sum = 0
for rep = 1, 40 do
  for i, v in ipairs(t) do sum = sum + v - i end
end
print(sum)
local keys = {a = 1, b = 2, c = 3, d = 4}
local ks = 0
for rep = 1, 100 do
  for k, v in pairs(keys) do ks = ks + v end
end
print(ks)

-- Types of a loop-carried value change mid-run: int -> float -> string.
local v, out = 0, {}
for i = 1, 90 do
  for j = 1, 3 do
    if i == 30 then v = v + 0.5 end
    if i == 60 and j == 1 then v = tostring(v) end
    if type(v) == "string" then v = v .. "" else v = v + 1 end
  end
  if i % 30 == 0 then out[#out + 1] = tostring(v) end
end
print(table.concat(out, " "))

-- goto continue inside nested loops.
local odd = 0
for i = 1, 60 do
  for j = 1, 10 do
    if (i + j) % 2 == 0 then goto continue end
    odd = odd + 1
    ::continue::
  end
end
print(odd)

-- An error raised inside a nested loop is caught by pcall, and the loop
-- runs again afterwards.
local function boom(n)
  local s = 0
  for i = 1, n do
    for j = 1, 5 do
      s = s + j
      if i == n and j == 3 then error("boom at " .. s) end
    end
  end
  return s
end
for r = 1, 3 do print(pcall(boom, 20 * r)) end
