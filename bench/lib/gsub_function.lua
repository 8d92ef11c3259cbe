-- gsub with a function and a table replacement, and false/nil results.
local words = {}
for i = 1, 200 do words[i] = "k" .. (i % 13) end
local text = table.concat(words, " ")
local map = {}
for i = 0, 12, 2 do map["k" .. i] = "V" .. i end
local n = tonumber(arg and arg[1]) or 10000
local total = 0
for _ = 1, n do
  local s, c = text:gsub("%w+", function(w) if #w == 2 then return w:upper() end end)
  total = total + #s + c
  s, c = text:gsub("%w+", map)
  total = total + #s + c
end
print(total)
