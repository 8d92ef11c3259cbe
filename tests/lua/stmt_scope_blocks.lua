-- Block scoping with do/end, shadowing, and locals in nested functions.
local x = "outer"
do
  local x = "block"
  do
    local x = "inner"
    print(x)
  end
  print(x)
end
print(x)
local function shadow(x)
  local x = x .. "!"
  return x
end
print(shadow("arg"))
for x = 1, 2 do io.write(x, " ") end
print(x)
local a = 1
local function reads_a() return a end
local a = 2
print(reads_a(), a)
if true then local scoped = "in if" print(scoped) end
print(scoped)
while true do local w = "in while" print(w) break end
print(w)
local v1, v2 = 1
do v2 = 5 end
print(v1, v2)
local i = 100
for i = 1, 3 do end
print(i)
local t = {}
do local hidden = 42 t.get = function() return hidden end end
print(t.get())
