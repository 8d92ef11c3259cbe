-- table.concat of 1000 strings/numbers, and '..' chains.
local t, u = {}, {}
for i = 1, 1000 do t[i] = "s" .. i; u[i] = i * 1.5 end
local n = tonumber(arg and arg[1]) or 3000
local total = 0
for _ = 1, n do
  total = total + #table.concat(t) + #table.concat(t, ", ")
  total = total + #table.concat(u, " ")
end
for i = 1, n * 100 do
  local s = "a" .. i .. "b" .. (i * 2) .. "c"
  total = total + #s
end
print(total)
