-- collectgarbage: count, collect, step; allocation-heavy loops finish.
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(collectgarbage(), collectgarbage("collect"))
local before = collectgarbage("count")
do
  local t = {}
  for i = 1, 1000000 do t = {i, t = nil} end
end
collectgarbage()
local after = collectgarbage("count")
print(after < before + 1000)
local keep = {}
for i = 1, 100000 do keep[i] = {i} end
print(collectgarbage("count") > after)
keep = nil
collectgarbage()
print(collectgarbage("count") < after + 1000)
print(type(collectgarbage("step")), type(collectgarbage("isrunning")))
local s = ""
for i = 1, 20000 do s = s .. "x" if #s > 1000 then s = "" end end
print(#s)
local strs = {}
for i = 1, 100000 do strs[i % 100 + 1] = "str" .. i end
print(strs[1], strs[100])
local function tree(d) if d == 0 then return {} end return {tree(d - 1), tree(d - 1)} end
local function count(t) if not t[1] then return 1 end return 1 + count(t[1]) + count(t[2]) end
local total = 0
for _ = 1, 5 do total = total + count(tree(12)) end
print(total)
print(pcall(collectgarbage, "nonsense"))
