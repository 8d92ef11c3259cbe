-- gsub with a replacement string (with and without captures) over a medium text.
local words = {}
for i = 1, 200 do words[i] = "word" .. i .. ((i % 7 == 0) and ", " or " ") end
local text = table.concat(words)
local n = tonumber(arg and arg[1]) or 20000
local total = 0
for _ = 1, n do
  local s, c = text:gsub("word(%d+)", "w%1")
  total = total + #s + c
  s, c = text:gsub(",", ";")
  total = total + #s + c
  s = text:gsub("%s+", " ", 50)
  total = total + #s
end
print(total)
