-- gmatch over words and over key=value pairs.
local parts = {}
for i = 1, 500 do parts[i] = "key" .. i .. "=val" .. (i * 7) end
local text = table.concat(parts, "; ")
local n = tonumber(arg and arg[1]) or 3000
local total = 0
for _ = 1, n do
  for w in text:gmatch("%a+") do total = total + #w end
  for k, v in text:gmatch("(%w+)=(%w+)") do total = total + #k + #v end
end
print(total)
