-- Recursive functions the JIT must compile (tests/cli/cli_tests.cmake
-- checks -jstats: almost every bytecode in traces): double recursion
-- (fib), calls whose results a tail call takes (tak), tail recursion with
-- a nested call (ack) and a tree walk. Without the frames traces make and
-- drop (record.c: rec_pushf, rec_popf), none of this runs in a trace.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
local function tak(x, y, z)
  if y >= x then return z end
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
end
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
local function make(d)
  if d == 0 then return {v = 1} end
  return {l = make(d - 1), r = make(d - 1), v = d}
end
local function sum(t)
  if not t.l then return t.v end
  return t.v + sum(t.l) + sum(t.r)
end
local tree = make(12)
print(fib(25), tak(18, 12, 6), ack(2, 400), ack(3, 6), sum(tree), sum(tree))
