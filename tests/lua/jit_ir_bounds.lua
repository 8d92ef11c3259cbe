-- Bounds-check elimination for the for loop's index (ir_loop.c): reads
-- and writes at i+k inside and outside the array part, ranges that change
-- between entries, arrays too small for the whole range (entry check fails).
local t = {}
for i = 1, 100 do t[i] = i end
local s = 0
for i = 1, 100 do s = s + t[i] end
print(s)
-- reads past the end on the last iterations: t[i+1] with i = 100 -> nil (hash part)
local ok, err = pcall(function()
  local s2 = 0
  for i = 1, 100 do s2 = s2 + (t[i + 1] or 0) end
  return s2
end)
print(ok, err)
-- t[i-1] with i = 1 -> t[0] = nil
local s3 = 0
for i = 1, 100 do s3 = s3 + (t[i - 1] or -1) end
print(s3)
-- array shrinks? (table.remove is a call -> EXEC -> no BCE); grow in loop
local u = {1, 2, 3}
local s4 = 0
for i = 1, 50 do
  s4 = s4 + (u[i] or 0)
  u[#u + 1] = i
end
print(s4, #u)
-- bounds from a variable, re-entered with different ranges
local function sum(a, lo, hi) local r = 0 for i = lo, hi do r = r + a[i] end return r end
local big = {}
for i = 1, 1000 do big[i] = i * 2 end
local acc = 0
for k = 1, 200 do acc = acc + sum(big, k, k + 500) end
print(acc)
local small = {1, 2, 3, 4, 5}
print(pcall(sum, small, 1, 8))
print(sum(small, 2, 5))
-- writes t[i+2]
local w = {}
for i = 1, 20 do w[i] = 0 end
for i = 1, 18 do w[i + 2] = w[i] + i end
print(table.concat(w, ","))
