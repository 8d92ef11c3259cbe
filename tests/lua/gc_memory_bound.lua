-- Garbage-heavy loops keep memory within a bound: the collector runs on its own.
collectgarbage()
local base = collectgarbage("count")
local peak = 0
local keep = {}
for i = 1, 100000 do
  local s = string.rep("x", 50) .. i          -- a fresh ~56-byte string each time
  local t = {i, s, {i}}                       -- and three small tables
  keep[i % 100 + 1] = t                       -- live data stays at 100 entries
  if i % 1000 == 0 then
    local c = collectgarbage("count") - base
    if c > peak then peak = c end
  end
end
print(#keep, keep[1][1], #keep[1][2])
-- allocated in total: roughly 100000 * 250 bytes = about 25 MB
print("peak below 4 MB:", peak < 4 * 1024)
local live = {}
for i = 1, 50000 do live[i] = {i} end
local with_live = collectgarbage("count") - base
for i = 1, 150000 do local tmp = {i, i + 1} end
collectgarbage()
local after = collectgarbage("count") - base
print("live data kept:", live[50000][1], after >= with_live * 0.5)
live = nil
collectgarbage()
print("released:", collectgarbage("count") - base < with_live * 0.5)
