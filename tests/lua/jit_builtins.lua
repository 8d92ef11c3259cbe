-- Calls to known library functions inside hot loops: the JIT replaces them
-- with uops guarded by function identity; every result (type, sign of zero,
-- NaN sign, integer/float subtype, huge values) must match the interpreter.
local vals = {4, 2.25, -0.0, 0.0, -3, -7.5, 1e300, -1e300, 2^63, -2^63,
              math.maxinteger, math.mininteger, 0/0, -(0/0), 1/0, -1/0, 17}
local out = {}
for rep = 1, 3 do
  for i = 1, #vals do
    local x = vals[i]
    out[#out + 1] = string.format("%s %s %s %s %s", tostring(math.abs(x)),
      tostring(math.floor(x)), tostring(math.ceil(x)),
      math.type(math.floor(x)) or "-", tostring(math.sqrt(x)))
  end
end
for i = 1, #vals do print(out[i]) end
assert(out[1] == out[#vals + 1] and out[#vals] == out[3 * #vals])

-- min/max keep the chosen argument; NaN and signed zeros follow '<'.
local pairs_ = {{1, 2}, {2, 1}, {1.5, -1.5}, {0.0, -0.0}, {-0.0, 0.0},
                {0/0, 1.0}, {1.0, 0/0}, {math.mininteger, math.maxinteger}}
for rep = 1, 3 do
  for _, p in ipairs(pairs_) do
    local a, b = p[1], p[2]
    if rep == 3 then
      print(tostring(math.min(a, b)), tostring(math.max(a, b)))
    end
  end
end

-- sin/cos/exp/log of integers and floats.
local s = 0
for i = 1, 50 do
  s = s + math.sin(i) + math.cos(i * 0.5) + math.exp(i / 50) + math.log(i)
end
print(string.format("%.10f", s))

-- The identity guard: a local rebound to another function mid-loop.
local f = math.sqrt
local acc = {}
for i = 1, 30 do
  if i == 20 then f = math.floor end
  acc[#acc + 1] = tostring(f(i * 1.5))
end
print(table.concat(acc, " "))

-- Calls with wrong argument types still raise the library's errors.
for i = 1, 20 do
  local ok, err = pcall(math.sqrt, i < 15 and i or "x")
  if not ok then print(i, err) break end
end
for i = 1, 20 do
  local arg = i < 15 and i or {}
  local ok, err = pcall(function() return math.floor(arg) end)
  if not ok then print(i, (err:gsub("^.-:%d+: ", ""))) break end
end
-- Extra results are nil, missing ones dropped.
for i = 1, 20 do
  local a, b = math.abs(-i), nil
  local c, d = math.max(i, 10)
  if i == 20 then print(a, b, c, d) end
end
