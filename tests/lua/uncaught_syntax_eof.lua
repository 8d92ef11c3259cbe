-- A function that is never closed.
local function f()
  print("inside")
if true then
  print("x")
end
