-- string_build.lua: building strings: repeated concatenation with .., buffers
-- joined with table.concat, string.rep, sub, byte and char, upper and lower,
-- and string interning through table keys.
-- bench-group: strings
-- bench-quick: 200
-- usage: string_build.lua [n]   (default 120000)

local n = tonumber(arg and arg[1]) or 120000

local function hash(s, h)
  for i = 1, #s, 7 do h = (h * 31 + s:byte(i)) % 1000000007 end
  return h
end

local h = 0
local total = 0
for round = 1, 4 do
  -- a line at a time, joined through a buffer
  local buf = {}
  for i = 1, n do
    buf[#buf + 1] = "item" .. i .. ":" .. (i * round) % 977 .. ";"
  end
  local s = table.concat(buf)
  total = total + #s
  h = hash(s, h)

  -- short strings grown with .. and cut with sub
  local acc = ""
  for i = 1, n / 10 do
    acc = acc .. string.char(97 + i % 26)
    if #acc > 64 then acc = acc:sub(9) end
  end
  h = hash(acc, h)

  -- case mapping, repetition and reversal
  local words = {}
  for i = 1, n / 20 do
    local w = string.rep("ab", i % 5 + 1) .. tostring(i)
    if i % 3 == 0 then w = w:upper() end
    words[#words + 1] = w:reverse():lower()
  end
  s = table.concat(words, ",")
  total = total + #s
  h = hash(s, h)

  -- interning: equal strings built differently are the same key
  local seen, distinct = {}, 0
  for i = 1, n do
    local k = "k" .. (i % 1000)
    if not seen[k] then
      seen[k] = true
      distinct = distinct + 1
    end
  end
  total = total + distinct
end
print(string.format("total length %d  hash %d", total, h))
