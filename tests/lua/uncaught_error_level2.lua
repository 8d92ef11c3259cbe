-- error() with level 2 blames the caller's line.
local function check(v)
  if type(v) ~= "number" then error("expected a number", 2) end
  return v
end
print(check(1))
check("oops")
