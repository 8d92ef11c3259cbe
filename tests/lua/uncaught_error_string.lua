-- error() with a string message, uncaught, from inside a function.
local function validate(x)
  if x < 0 then error("negative input: " .. x) end
  return x
end
print(validate(5))
print(validate(-3))
