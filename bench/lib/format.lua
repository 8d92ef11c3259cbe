-- string.format with %d %s %5.2f %q %x %g.
local n = tonumber(arg and arg[1]) or 600000
local total = 0
local fmt = string.format
for i = 1, n do
  total = total + #fmt("%d %s", i, "abc")
  total = total + #fmt("%5.2f|%-8d|%x", i / 7, i, i)
  total = total + #fmt("%g", i * 0.5)
  if i % 10 == 0 then total = total + #fmt("%q", "a\n\"b\"\0" .. i) end
end
print(total)
