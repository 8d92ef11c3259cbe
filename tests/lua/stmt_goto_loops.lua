-- goto used for continue in while and repeat loops, and for retry loops.
local i, out = 0, {}
while i < 10 do
  i = i + 1
  if i % 3 == 0 then goto continue end
  out[#out + 1] = i
  ::continue::
end
print(table.concat(out, " "))
local j, out2 = 0, {}
repeat
  j = j + 1
  if j % 2 == 0 then goto next end
  out2[#out2 + 1] = j
  ::next::
until j >= 9
print(table.concat(out2, " "))
local attempts = 0
::retry::
attempts = attempts + 1
if attempts < 5 then goto retry end
print(attempts)
local found
for a = 1, 5 do
  for b = 1, 5 do
    if a * b == 12 then found = a .. "*" .. b goto done end
  end
end
::done::
print(found)
local function state_machine(input)
  local pos, out = 1, {}
  ::start::
  if pos > #input then goto finish end
  do
    local c = input:sub(pos, pos)
    pos = pos + 1
    if c == "a" then out[#out + 1] = "A" goto start end
    out[#out + 1] = "."
    goto start
  end
  ::finish::
  return table.concat(out)
end
print(state_machine("abcaa"))
