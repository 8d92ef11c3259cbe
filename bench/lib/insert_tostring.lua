-- table.insert (append and front), tostring and tonumber.
local n = tonumber(arg and arg[1]) or 500000
local t = {}
local total = 0
for i = 1, n do
  table.insert(t, i)
  local s = tostring(i * 3)
  total = total + tonumber(s) + (tonumber("0x" .. (i % 255 + 1)) or 0)
  total = total + #tostring(i + 0.25)
end
local f = {}
for i = 1, 2000 do table.insert(f, 1, i) end
print(#t, total, f[1], f[#f])
