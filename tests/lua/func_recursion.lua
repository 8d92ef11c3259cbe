-- Deep non-tail recursion (about 10000 frames) and mutual recursion.
local function depth(n)
  if n == 0 then return 0 end
  return 1 + depth(n - 1)
end
print(depth(10000))
print(depth(15000))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print(ack(2, 3), ack(3, 3))
local function sumlist(t, i)
  i = i or 1
  if i > #t then return 0 end
  return t[i] + sumlist(t, i + 1)
end
local l = {}
for i = 1, 5000 do l[i] = i end
print(sumlist(l))
local function hanoi(n, from, to, via, moves)
  if n == 0 then return moves end
  moves = hanoi(n - 1, from, via, to, moves)
  moves = moves + 1
  return hanoi(n - 1, via, to, from, moves)
end
print(hanoi(12, "a", "c", "b", 0))
-- infinite recursion gives stack overflow, caught by pcall
local function inf(n) return 1 + inf(n + 1) end
local ok, msg = pcall(inf, 1)
print(ok, (string.find(msg, "stack overflow", 1, true)) ~= nil)
