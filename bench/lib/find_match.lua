-- find plain / with pattern / with init, and match with captures.
local lines = {}
for i = 1, 100 do lines[i] = ("line %d: value=%d [tag%d] end"):format(i, i * 3, i % 5) end
local n = tonumber(arg and arg[1]) or 10000
local total = 0
for _ = 1, n do
  for i = 1, #lines do
    local l = lines[i]
    local a = l:find("value", 1, true)
    local b = l:find("[tag", 1, true)
    local c = l:find("end")
    local d, e = l:find("%d+", 6)
    local v = l:match("value=(%d+)")
    total = total + a + b + c + d + e + #v
  end
end
print(total)
