-- Hot loops over calls, closures, varargs, upvalue updates.
local function add(a, b) return a + b end
local s = 0
for i = 1, 10000 do s = add(s, i) end
print(s)
local counter = 0
local function bump() counter = counter + 1 end
for _ = 1, 5000 do bump() end
print(counter)
local function va(...) return select('#', ...) end
local vs = 0
for i = 1, 3000 do vs = vs + va(i, i, nil) end
print(vs)
local fns = {}
for i = 1, 2000 do fns[i] = function() return i end end
local fs = 0
for i = 1, 2000 do fs = fs + fns[i]() end
print(fs)
local obj = {n = 0}
function obj:inc(d) self.n = self.n + d end
for i = 1, 4000 do obj:inc(i % 3) end
print(obj.n)
local str = {}
for i = 1, 3000 do str[#str + 1] = string.char(65 + i % 26) end
local joined = table.concat(str)
print(#joined, joined:sub(1, 30))
local up = 0
local closures = {}
for i = 1, 1500 do
  closures[#closures + 1] = function() up = up + i end
end
for _, c in ipairs(closures) do c() end
print(up)
local function rec_sum(n) if n == 0 then return 0 end return n + rec_sum(n - 1) end
local rs = 0
for i = 1, 200 do rs = rs + rec_sum(50) end
print(rs)
local mr = 0
local function two() return 1, 2 end
for _ = 1, 3000 do local a, b = two() mr = mr + a + b end
print(mr)
local gsum = 0
for i = 1, 2000 do GLOBAL_COUNTER = (GLOBAL_COUNTER or 0) + i end
print(GLOBAL_COUNTER)
