-- Traces for the CPJIT_HARDEN trace-code test (tests/harden_trace_code.sh):
-- integer and float arithmetic, libm helpers, table reads and writes, calls,
-- string operations the recorder leaves to the interpreter, and side exits.
local t, h = {}, {}
for i = 1, 300 do
  t[i] = i % 11
  h["k" .. (i % 5)] = i
end
local acc, f = 0, 0.25
for i = 1, 300 do
  if t[i] > 5 then acc = acc + t[i] * 3 else acc = acc - (i // 7) end
  f = f + math.sqrt(i) + (i % 3.5) + math.floor(i / 3) + 2 ^ (i % 4)
  f = f + math.sin(i) * math.cos(i) + math.exp(-i) + math.log(i)
end
local obj = {x = 1, y = 2}
local function step(o, k) o.x = o.x + k; o.y = o.y * 1.5 % 97; return o.x end
local s = 0
for i = 1, 300 do s = s + step(obj, i % 4) end
local parts = 0
for i = 1, 200 do parts = parts + #tostring(i) + h["k" .. (i % 5)] end
print(acc, string.format("%.6f", f), s, string.format("%.3f", obj.y), parts)
