-- spectral_norm.lua: the spectral norm of an infinite matrix by power
-- iteration; nested loops calling a small function in the inner loop.
-- bench-group: numeric
-- bench-quick: 50
-- usage: spectral_norm.lua [n]   (default 800)

local n = tonumber(arg and arg[1]) or 800

local function entry(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end

local function times(out, v)
  for i = 1, n do
    local s = 0.0
    for j = 1, n do s = s + entry(i, j) * v[j] end
    out[i] = s
  end
end

local function times_transposed(out, v)
  for i = 1, n do
    local s = 0.0
    for j = 1, n do s = s + entry(j, i) * v[j] end
    out[i] = s
  end
end

local function times_ata(out, v, tmp)
  times(tmp, v)
  times_transposed(out, tmp)
end

local u, v, tmp = {}, {}, {}
for i = 1, n do u[i] = 1.0 end
for _ = 1, 10 do
  times_ata(v, u, tmp)
  times_ata(u, v, tmp)
end
local vbv, vv = 0.0, 0.0
for i = 1, n do
  vbv = vbv + u[i] * v[i]
  vv = vv + v[i] * v[i]
end
print(string.format("%.9f", math.sqrt(vbv / vv)))
