-- A side trace whose start is in the middle of an expression (an exit at a
-- table read whose index sits in a temporary register) and loops back to it
-- must keep that temporary current at its back-edge.
local x4 = math.huge
local t9 = {38, 47, 17, 8, -0.0, -16, -23, 23, 1e300, 2.25, -3, -37, 2.25, -32, -7, 1e300, f = 0}
local acc = 0
local function bump(d) acc = acc + d; return acc end
do
  local w11 = 0
  for _ = 1, 30 do
    w11 = w11 + 1
    do
      local w12 = 0
      repeat
        w12 = w12 + 1
        for i13 = 1, math.min(w11, 2) do
          if (w11) % 8 == 1 then
          else
            if (t9[((w11 % 2)) % #t9 + 1.0] - -7.25) < w11 then
            end
          end
          bump((x4 + t9[((w11 + w11)) % #t9 + 1]))
        end
      until w12 >= 3
    end
    for i21 = 1, math.min(w11, 6) do
      do
        local w22 = 0
        while true do
          w22 = w22 + 1
          if w22 > 10 then break end
          t9[((~w11)) % #t9 + 1] = (math.floor(t9[(#t9) % #t9 + 1]) / (-math.huge // -7))
        end
      end
    end
  end
end
print(acc, x4, t9[1], t9[16])
-- The same at an exit in the middle of a comparison whose constant sits in
-- a temporary that a call in the loop overwrites.
local s = "12"
for i = 1, 3 do
  s = tostring(s)
  local w = 0
  while w < 150 do
    w = w + 1
    local v = 0
    while true do
      v = v + 1
      if v > 6 then break end
    end
  end
end
print(s)
-- A side trace that starts at the first instruction of an ipairs loop's
-- body and sees that loop end must leave it, not loop with a nil index.
local out = {}
for round = 1, 60 do
  local keys = {}
  for j = 1, round % 5 + 1 do keys[j] = "k" .. j end
  for i, k in ipairs(keys) do
    if i > 1 then out[#out + 1] = "," end
    out[#out + 1] = k
  end
end
print(#out, out[#out])
