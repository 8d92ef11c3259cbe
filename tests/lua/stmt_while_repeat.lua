-- while and repeat loops; repeat's until sees body locals.
local i = 0
while i < 5 do i = i + 1 end
print(i)
local n = 0
repeat
  local done = n >= 3
  n = n + 1
until done
print(n)
local out = {}
local k = 10
repeat
  local sq = k * k
  out[#out + 1] = sq
  k = k - 3
until sq < 20
print(table.concat(out, " "))
while true do
  i = i + 1
  if i > 8 then break end
end
print(i)
local fns = {}
local j = 0
repeat
  j = j + 1
  local captured = j
  fns[#fns + 1] = function() return captured end
until captured >= 3
print(fns[1](), fns[2](), fns[3]())
while false do print("never") end
repeat print("once") until true
local x = 0
while x < 100 do
  x = x + 7
  if x % 2 == 0 then goto continue end
  x = x + 1
  ::continue::
end
print(x)
