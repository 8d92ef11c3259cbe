-- jit_strings_errors.lua: string operations in hot loops that fail at the
-- N-th iteration must raise exactly the interpreter's errors (messages,
-- positions, pcall results), and the traced loop must go on correctly after.

local function try(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, err)
end

-- string.char with a value out of range at iteration 37
try(function()
  local t = {}
  for i = 1, 100 do
    local c = i == 37 and 300 or 65 + i % 26
    t[#t + 1] = string.char(c)
  end
  return #t
end)

-- s:sub with a non-number position at iteration 25
try(function()
  local s, n = "abcdefgh", 0
  for i = 1, 60 do
    local p = i == 25 and {} or i % 5
    n = n + #s:sub(p, 6)
  end
  return n
end)

-- concatenation with a table at iteration 41, then with nil
try(function()
  local acc = ""
  for i = 1, 80 do
    local v = i == 41 and {} or i
    acc = ("x" .. v):sub(-5)
  end
  return acc
end)
try(function()
  local acc = 0
  for i = 1, 80 do
    local v = i ~= 66 and "a" or nil
    acc = acc + #(v .. i)
  end
  return acc
end)

-- comparison of a string with a number at iteration 30
try(function()
  local c = 0
  for i = 1, 50 do
    local x = i == 30 and 5 or "m"
    if x < "n" then c = c + 1 end
  end
  return c
end)

-- #x of a number at iteration 20
try(function()
  local c = 0
  for i = 1, 50 do
    local x = i == 20 and 20 or "abc"
    c = c + #x
  end
  return c
end)

-- string.rep with a huge count and a negative one
try(function()
  local c = 0
  for i = 1, 50 do
    local n = i == 44 and -1 or i % 3
    c = c + #("ab"):rep(n)
  end
  return c
end)
try(function()
  for i = 1, 50 do
    local n = i == 45 and math.maxinteger or 2
    local _ = ("abc"):rep(n)
  end
end)

-- string.byte and tostring with bad arguments
try(function()
  local c = 0
  for i = 1, 50 do
    local s = i == 33 and true or "xyz"
    c = c + (string.byte(s, 2) or 0)
  end
  return c
end)
try(function()
  local c = 0
  for i = 1, 50 do
    local s = i ~= 12 and "q" .. i or nil
    c = c + #tostring(s) + #tostring()
  end
  return c
end)

-- a float position that is an integer value, and one that is not
try(function()
  local c = 0
  for i = 1, 50 do
    local p = i >= 20 and i / 2 or i
    c = c + #("0123456789abcdef"):sub(p % 16)
  end
  return c
end)

-- method missing on strings: the error names it
try(function()
  local c = 0
  for i = 1, 50 do
    local s = "a" .. i
    if i == 27 then c = c + s:nosuch() end
    c = c + #s:upper()
  end
  return c
end)

-- an uncaught error's position from a traced loop
local ok, err = pcall(function()
  local t = {}
  for i = 1, 30 do t[i] = ("%d"):rep(2) .. string.char(i == 29 and -1 or 66) end
end)
print(ok, err)
