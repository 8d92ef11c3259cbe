-- matmul.lua: dense matrix multiplication of two n x n float matrices stored
-- as tables of rows; the classic triple loop with a hoisted row.
-- bench-group: numeric
-- bench-quick: 20
-- usage: matmul.lua [n]   (default 330)

local n = tonumber(arg and arg[1]) or 330

local function make(m, seed)
  local a = {}
  for i = 1, m do
    local row = {}
    for j = 1, m do
      row[j] = ((i * 31 + j * 17 + seed) % 101) / 101.0 - 0.5
    end
    a[i] = row
  end
  return a
end

local function transpose(a, m)
  local t = {}
  for i = 1, m do t[i] = {} end
  for i = 1, m do
    local row = a[i]
    for j = 1, m do t[j][i] = row[j] end
  end
  return t
end

local function mul(a, b, m)
  local bt = transpose(b, m)
  local c = {}
  for i = 1, m do
    local ai, ci = a[i], {}
    for j = 1, m do
      local bj = bt[j]
      local s = 0.0
      for k = 1, m do s = s + ai[k] * bj[k] end
      ci[j] = s
    end
    c[i] = ci
  end
  return c
end

local a, b = make(n, 3), make(n, 7)
local c = mul(a, b, n)
c = mul(c, a, n)
local tr, sum = 0.0, 0.0
for i = 1, n do
  tr = tr + c[i][i]
  for j = 1, n do sum = sum + c[i][j] end
end
print(string.format("n = %d  trace = %.6f  sum = %.6f", n, tr, sum))
