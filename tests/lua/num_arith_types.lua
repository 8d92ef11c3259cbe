-- Result types of every arithmetic operator on integer and float operands.
local vals = {3, 3.0, -2, 0.5}
local ops = {
  {"+", function(a, b) return a + b end}, {"-", function(a, b) return a - b end},
  {"*", function(a, b) return a * b end}, {"/", function(a, b) return a / b end},
  {"//", function(a, b) return a // b end}, {"%", function(a, b) return a % b end},
  {"^", function(a, b) return a ^ b end},
}
for _, op in ipairs(ops) do
  local row = {}
  for _, a in ipairs(vals) do
    for _, b in ipairs(vals) do
      local r = op[2](a, b)
      row[#row + 1] = tostring(r)
    end
  end
  print(op[1], table.concat(row, " "))
end
print(-3, -3.0, - -3, -(-0.0))
print(0 ^ 0, 0.0 ^ 0, 2 ^ 10, (-8) ^ (1 / 3) ~= (-8) ^ (1 / 3), (-2) ^ 3, 4 ^ 0.5)
print(10 // 3, 10.0 // 3, -10 // 3, 10 % 3.0, 2^53 // 1, math.type(2^53 // 1))
print(7 / 7, math.type(7 / 7), 1 / 3 * 3 == 1)
print(1e308 * 10, -1e308 * 10, 1e-308 / 1e10)
print(math.maxinteger * 1.0, math.maxinteger // 1.0, math.mininteger / -1)
