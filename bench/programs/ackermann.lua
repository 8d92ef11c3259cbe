-- ackermann.lua: the Ackermann function A(2, k) and A(3, k); deep, irregular
-- recursion with many small calls.
-- bench-group: recursion
-- bench-quick: 5
-- usage: ackermann.lua [n]   (default 10)

local n = tonumber(arg and arg[1]) or 10

local function ack(m, k)
  if m == 0 then return k + 1 end
  if k == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, k - 1))
end

local total = 0
for k = 1, n do
  local a = ack(3, k)
  total = total + a
  print(string.format("ack(3,%d) = %d", k, a))
end
for k = 1, 200 * n do
  total = total + ack(2, k % 50)
end
print(string.format("total = %d", total))
