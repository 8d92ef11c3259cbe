-- Hot loops with string operations and concatenation.
local parts = {}
for i = 1, 2000 do parts[i] = tostring(i) end
local s = table.concat(parts, ",")
print(#s, s:sub(-14))
local built = ""
for i = 1, 1000 do built = built .. (i % 10) end
print(#built, built:sub(1, 20))
local count = 0
for w in s:gmatch("%d+") do if #w == 3 then count = count + 1 end end
print(count)
local up = 0
for i = 1, 3000 do if ("abc"):upper() == "ABC" then up = up + 1 end end
print(up)
local fmt = {}
for i = 1, 1500 do fmt[#fmt + 1] = string.format("%04d", i) end
print(fmt[1], fmt[1500], #table.concat(fmt))
local bytes = 0
local text = string.rep("hello world ", 200)
for i = 1, #text do bytes = bytes + text:byte(i) end
print(bytes)
local rev = 0
for i = 1, 1000 do if ("level"):reverse() == "level" then rev = rev + 1 end end
print(rev)
local keys = {}
for i = 1, 2000 do keys["key" .. (i % 50)] = i end
local kc = 0
for _ in pairs(keys) do kc = kc + 1 end
print(kc, keys.key0, keys.key49)
local cmp = 0
for i = 1, 2000 do if tostring(i) < "5" then cmp = cmp + 1 end end
print(cmp)
