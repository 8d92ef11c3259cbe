-- Generic for loops over iterators written in Lua, inlined into traces:
-- closures with upvalues, stateless iterators, iterators that change,
-- raise errors, return fewer or more values than the loop names.

-- a closure iterator updating its upvalues (array3d's shape)
local function points(nx, ny)
  local y = 0
  return function(_, x)
    x = x + 1
    if x >= nx then
      x = 0
      y = y + 1
      if y >= ny then return nil end
    end
    return x, y
  end, nil, -1
end
local s, n = 0, 0
for x, y in points(40, 30) do s = s + x * y n = n + 1 end
print("points", n, s)

-- a stateless iterator (a function of state and control)
local function evens(t, i)
  i = i + 2
  local v = t[i]
  if v then return i, v end
end
local t = {}
for i = 1, 400 do t[i] = i * 3 end
s = 0
for _ = 1, 5 do
  for i, v in evens, t, 0 do s = s + i + v end
end
print("evens", s)

-- one name for two values, three names for two values
s = 0
for i in evens, t, 0 do s = s + i end
for i, v, w in evens, t, 0 do s = s + i + v + (w or 1000) end
print("names", s)

-- the iterator replaced between loops, and inside the loop's body
local function odds(tt, i)
  i = i + 2
  if tt[i] then return i, tt[i] end
end
s = 0
for k = 1, 20 do
  local f = k % 2 == 0 and evens or odds
  for i, v in f, t, k % 2 == 0 and 0 or -1 do s = s + v - i end
end
print("switch", s)

-- the iterator's results change type
local function mixed(lim, i)
  i = i + 1
  if i > lim then return nil end
  if i > 150 then return i, i + 0.5 end
  return i, i
end
s = 0
for i, v in mixed, 300, 0 do s = s + v end
print("mixed", s)

-- an error inside the iterator at the N-th step, with its traceback line
local function faulty(lim, i)
  i = i + 1
  if i == lim then local z = nil return z.x end
  return i
end
local ok, err = pcall(function()
  local c = 0
  for i in faulty, 250, 0 do c = c + i end
  return c
end)
print("error", ok, err)

-- the iterator yields from inside a coroutine
local co = coroutine.wrap(function()
  local function gen(lim, i)
    i = i + 1
    if i % 100 == 0 then coroutine.yield(i) end
    if i <= lim then return i end
  end
  local c = 0
  for i in gen, 350, 0 do c = c + i end
  return "done " .. c
end)
local outs = {}
for _ = 1, 4 do outs[#outs + 1] = tostring(co()) end
print("yield", table.concat(outs, " "))

-- nested generic loops over the same iterator
s = 0
for i in evens, t, 0 do
  if i % 40 == 0 then
    for j, v in evens, t, i do s = s + v end
  end
end
print("nested", s)

-- debug.getinfo names the iterator's frame as the interpreter does
local names = {}
local function named(lim, i)
  i = i + 1
  if i == lim then
    local info = debug.getinfo(1, "n")
    names[#names + 1] = tostring(info.name) .. "/" .. tostring(info.namewhat)
  end
  if i <= lim then return i end
end
for _ = 1, 3 do for _ in named, 200, 0 do end end
print("getinfo", table.concat(names, " "))
