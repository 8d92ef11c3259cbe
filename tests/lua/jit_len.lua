-- # on tables in traces: the raw length without a metatable (guarded),
-- __len and metatables set mid-loop, borders moving in and out of the
-- array part.
local t = {}
for i = 1, 1000 do t[#t + 1] = i * 2 end
local s = 0
for i = 1, 2000 do
  s = s + #t
  if i == 500 then t[#t] = nil end
  if i == 900 then setmetatable(t, {__len = function() return 7 end}) end
  if i == 1200 then setmetatable(t, nil); t[2000] = 1 end
end
print(#t, s)

-- appends through t[#t + 1], nested tables
local q = {}
for i = 1, 300 do q[#q + 1] = {#q} end
print(#q, q[300][1], q[1][1])

-- a length that is not a table's (string, then a table again)
local vals = {"abc", {1, 2}, "hello", {}}
local n = 0
for i = 1, 400 do n = n + #vals[i % 4 + 1] end
print(n)

-- removing from the end and a hash-part border
local h = {}
for i = 1, 64 do h[i] = i end
local sum = 0
for i = 1, 200 do
  sum = sum + #h
  if #h > 10 then h[#h] = nil else h[#h + 1] = i end
end
print(sum, #h)
