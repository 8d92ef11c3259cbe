-- Loop-carried values that exchange places every iteration: the back-edge
-- moves are a parallel copy (cycles of two and three, ints and floats).
local a, b = 1, 2
for i = 1, 101 do a, b = b, a end
print(a, b)
local x, y, z = 1, 2, 3
for i = 1, 100 do x, y, z = y, z, x end
print(x, y, z)
local p, q = 0.5, -1.25
for i = 1, 77 do p, q = q, p + i end
print(p, q)
local m, n = 1, 1
for i = 1, 60 do m, n = n, m + n end
print(m, n)
local u, v, w = 1, 2.5, "s"
for i = 1, 9 do u, v, w = u + 1, v * 2, w .. i end
print(u, v, w)
-- a swap with an exit in the middle
local s1, s2, c = 10, 20, 0
for i = 1, 50 do
  s1, s2 = s2, s1
  if i % 16 == 0 then c = c + s1 - s2 end
end
print(s1, s2, c)
-- rotation of integers and floats mixed with arithmetic
local r1, r2, r3, r4 = 1, 2.0, 3, 4.0
for i = 1, 40 do r1, r2, r3, r4 = r4 // 1, r1 + 0.5, r2 // 1, r3 * 1.0 end
print(r1, r2, r3, r4)
-- a rotation of more values than registers: cycles through spill slots
local c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
local d1, d2, d3, d4, d5, d6, d7, d8, d9, d10 = 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5
for i = 1, 37 do
  c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 = c12, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11
  d1, d2, d3, d4, d5, d6, d7, d8, d9, d10 = d10, d9, d8, d7, d6, d5, d4, d3, d2, d1
  if i % 10 == 0 then print(i, c1, c12, d1, d10) end
end
print(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12)
print(d1, d2, d3, d4, d5, d6, d7, d8, d9, d10)
-- pairs swapped with arithmetic on one side
local e1, e2, e3, e4, e5, e6 = 1, 2, 3, 4, 5, 6
for i = 1, 50 do e1, e2, e3, e4, e5, e6 = e2 + 1, e1, e4 * 1, e3, e6 - 1, e5 end
print(e1, e2, e3, e4, e5, e6)
