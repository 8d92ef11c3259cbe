-- More live values than registers: 14 integers and 14 floats carried
-- around one loop (loop-carried values, spills), then printed.
local a1, a2, a3, a4, a5, a6, a7 = 1, 2, 3, 4, 5, 6, 7
local b1, b2, b3, b4, b5, b6, b7 = 8, 9, 10, 11, 12, 13, 14
local f1, f2, f3, f4, f5, f6, f7 = 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5
local g1, g2, g3, g4, g5, g6, g7 = 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25
for i = 1, 60 do
  a1 = a1 + a2; a2 = a2 + a3; a3 = a3 + a4; a4 = a4 + a5
  a5 = a5 + a6; a6 = a6 + a7; a7 = a7 + b1; b1 = b1 + b2
  b2 = b2 + b3; b3 = b3 + b4; b4 = b4 + b5; b5 = b5 + b6
  b6 = b6 + b7; b7 = b7 + i
  f1 = f1 * 0.5 + f2; f2 = f2 * 0.5 + f3; f3 = f3 * 0.5 + f4
  f4 = f4 * 0.5 + f5; f5 = f5 * 0.5 + f6; f6 = f6 * 0.5 + f7
  f7 = f7 * 0.5 + g1; g1 = g1 * 0.5 + g2; g2 = g2 * 0.5 + g3
  g3 = g3 * 0.5 + g4; g4 = g4 * 0.5 + g5; g5 = g5 * 0.5 + g6
  g6 = g6 * 0.5 + g7; g7 = g7 * 0.5 + i
  if i % 17 == 0 then -- an exit with everything live
    print(i, a1, a7, b7, f1, g7)
  end
end
print(a1, a2, a3, a4, a5, a6, a7)
print(b1, b2, b3, b4, b5, b6, b7)
print(f1, f2, f3, f4, f5, f6, f7)
print(g1, g2, g3, g4, g5, g6, g7)

-- All of them read again after the loop in a second loop with a guard that
-- fails late (values restored from registers and spill slots).
local s, fs = 0, 0.0
for i = 1, 40 do
  s = s + a1 % 1000 + a2 % 1000 + a3 % 1000 + a4 % 1000 + a5 % 1000 + a6 % 1000
      + a7 % 1000 + b1 % 1000 + b2 % 1000 + b3 % 1000 + b4 % 1000 + b5 % 1000
      + b6 % 1000 + b7 % 1000 + i
  fs = fs + f1 + f2 + f3 + f4 + f5 + f6 + f7 + g1 + g2 + g3 + g4 + g5 + g6 + g7
  if i == 39 then s = s + 0.5 end
end
print(s, fs)

-- Many temporaries live at once inside one expression.
local t = 0
for i = 1, 50 do
  local x1, x2, x3, x4, x5, x6 = i, i * 2, i * 3, i * 4, i * 5, i * 6
  local x7, x8, x9, x10, x11, x12, x13 = i * 7, i * 8, i * 9, i * 10, i * 11, i * 12, i * 13
  local y1, y2, y3, y4, y5, y6 = i / 2, i / 3, i / 4, i / 5, i / 6, i / 7
  local y7, y8, y9, y10, y11, y12, y13 = i / 8, i / 9, i / 10, i / 11, i / 12, i / 13, i / 14
  t = t + (x1 - x2 + x3 - x4 + x5 - x6 + x7 - x8 + x9 - x10 + x11 - x12 + x13)
      + (y1 + y2 + y3 + y4 + y5 + y6 + y7 + y8 + y9 + y10 + y11 + y12 + y13) * (x1 + x13)
end
print(t)
