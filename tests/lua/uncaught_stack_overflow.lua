-- Unbounded recursion ends in a stack overflow error.
local function recurse(n)
  return 1 + recurse(n + 1)
end
print("recursing")
recurse(1)
