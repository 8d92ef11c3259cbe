-- goto and labels: continue idiom, backward jumps, nested loops.
for i = 1, 5 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
local i = 1
::top::
if i <= 3 then
  io.write("i", i, " ")
  i = i + 1
  goto top
end
print()
for a = 1, 3 do
  for b = 1, 3 do
    if b == 2 then goto next_a end
    io.write(a, b, " ")
  end
  ::next_a::
end
print()
do
  goto skip
  print("skipped")
  ::skip::
end
-- each iteration gets a fresh local even with goto loops
local fs = {}
do
  local n = 0
  ::again::
  local v = n
  fs[#fs + 1] = function() return v end
  n = n + 1
  if n < 3 then goto again end
end
print(fs[1](), fs[2](), fs[3]())
-- label at block end may follow a local
do
  local z = 1
  goto finish
  local w = 2
  ::finish::
end
print("done")
print(load("goto l1; local x; ::l1:: print(x)"))
