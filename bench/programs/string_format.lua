-- string_format.lua: formatted output with string.format (%d, %5.2f, %x, %s,
-- %q, %-10s, %08.3f) and tostring/tonumber round trips of integers.
-- bench-group: strings
-- bench-quick: 500
-- usage: string_format.lua [n]   (default 500000)

local n = tonumber(arg and arg[1]) or 500000
local fmt = string.format

local h, total = 0, 0
for i = 1, n do
  local f = i / 7
  local a = fmt("%d|%5.2f|%x|%s", i, f, i * 13, "row")
  local b = fmt("%-10s|%08.3f|%5d", "n" .. i % 100, f * 3.5, i % 100000)
  local c = fmt("%q", "line " .. i % 10 .. "\n")
  local d = tostring(i * 3)
  local back = tonumber(d)
  if back ~= i * 3 then error("round trip failed at " .. i) end
  local s = a .. b .. c
  total = total + #s + #d
  h = (h * 17 + #s + s:byte(#s - 2)) % 1000000007
end
print(string.format("total %d  hash %d", total, h))
print(string.format("sample: [%s] [%s]", fmt("%d|%5.2f|%x|%s", 42, 42 / 7, 42 * 13, "row"),
  fmt("%-10s|%08.3f|%5d", "n42", 42 / 7 * 3.5, 42)))
