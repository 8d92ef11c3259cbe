-- Generic for loops inside traced loops: their to-be-closed variable
-- (TFORPREP) and the CLOSE after them, with and without something to
-- close: closures capturing the loop's variables, a closing value with
-- __close, breaks and errors out of the inner loop.

local t = {}
for i = 1, 50 do t[i] = i end

-- nothing to close: nested ipairs/pairs and Lua iterators
local function step(tt, i)
  i = i + 1
  if tt[i] then return i, tt[i] end
end
local s = 0
for r = 1, 200 do
  for _, v in ipairs(t) do s = s + v end
  for i, v in step, t, 0 do s = s + i * v + r end
end
print("plain", s)

-- closures capture the inner loop's variables in some rounds: CLOSE has
-- upvalues to close then
local fs = {}
s = 0
for r = 1, 200 do
  for i, v in step, t, 0 do
    if r % 50 == 0 and i == 3 then fs[#fs + 1] = function() return v + r end end
    s = s + v
  end
end
local c = 0
for _, f in ipairs(fs) do c = c + f() end
print("captured", s, #fs, c)

-- a closing value with __close, in some rounds only
local closed = 0
local closer = setmetatable({}, {__close = function() closed = closed + 1 end})
s = 0
for r = 1, 200 do
  local cv = r % 40 == 0 and closer or nil
  for i, v in step, t, 0, cv do s = s + v end
end
print("close", s, closed)

-- break out of the inner loop, and an error escaping it
s = 0
for r = 1, 200 do
  for i, v in step, t, 0 do
    if i > r % 7 + 10 then break end
    s = s + v
  end
end
print("break", s)
local ok, err = pcall(function()
  local n = 0
  for r = 1, 200 do
    for i, v in step, t, 0 do
      if r == 180 and i == 20 then error("stop at " .. r) end
      n = n + v
    end
  end
  return n
end)
print("error", ok, err)

-- __close runs when an error leaves the loop
closed = 0
ok, err = pcall(function()
  for r = 1, 200 do
    for i in step, t, 0, (r > 150 and closer or nil) do
      if r == 190 and i == 5 then error("out") end
    end
  end
end)
print("close on error", ok, err, closed)
