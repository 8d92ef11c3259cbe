-- Comparing two tables without metamethods.
local a, b = {}, {}
print(a == b)
print(a < b)
