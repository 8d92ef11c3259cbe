-- Loops calling functions that error inside pcall.
local function risky(i)
  if i % 100 == 0 then error("bad " .. i) end
  return i
end
local okc, errc, sum = 0, 0, 0
for i = 1, 5000 do
  local ok, v = pcall(risky, i)
  if ok then okc = okc + 1 sum = sum + v else errc = errc + 1 end
end
print(okc, errc, sum)
local last
for i = 1, 2000 do
  local ok, e = pcall(function() local t = nil if i == 2000 then return t.x end return i end)
  if not ok then last = e end
end
print(last)
local msgs = {}
for i = 1, 1500 do
  local ok, e = pcall(error, {n = i})
  if i % 500 == 0 then msgs[#msgs + 1] = e.n end
end
print(table.concat(msgs, ","))
local depth_ok = 0
for i = 1, 1000 do
  local ok = pcall(pcall, pcall, error, "nested")
  if ok then depth_ok = depth_ok + 1 end
end
print(depth_ok)
local x = 0
for i = 1, 3000 do
  local ok, r = pcall(function(a) return a // (i % 1000) end, i)
  if ok then x = x + r end
end
print(x)
local xp = 0
for i = 1, 2000 do
  local ok, r = xpcall(function() if i % 2 == 0 then error("even") end return i end, function(m) return 0 end)
  xp = xp + r
end
print(xp)
