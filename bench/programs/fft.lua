-- fft.lua: an iterative radix-2 complex FFT with bit-reversal permutation,
-- forward then inverse, on separate real and imaginary arrays.
-- bench-group: numeric
-- bench-quick: 256
-- usage: fft.lua [size]   (default 65536, must be a power of two; 8 round trips)

local size = tonumber(arg and arg[1]) or 65536
local sin, pi = math.sin, math.pi

local function bit_reverse(re, im, m)
  local j = 1
  for i = 1, m - 1 do
    if i < j then
      re[i], re[j] = re[j], re[i]
      im[i], im[j] = im[j], im[i]
    end
    local k = m / 2
    while k >= 1 and j > k do
      j = j - k
      k = k / 2
    end
    j = j + k
  end
end

local function transform(re, im, m, direction)
  bit_reverse(re, im, m)
  local len = 1
  while len < m do
    local theta = direction * pi / len
    local s = sin(0.5 * theta)
    local wpr, wpi = -2.0 * s * s, sin(theta)
    local wr, wi = 1.0, 0.0
    for k = 1, len do
      for i = k, m, 2 * len do
        local j = i + len
        local tr = wr * re[j] - wi * im[j]
        local ti = wr * im[j] + wi * re[j]
        re[j], im[j] = re[i] - tr, im[i] - ti
        re[i], im[i] = re[i] + tr, im[i] + ti
      end
      wr, wi = wr + wr * wpr - wi * wpi, wi + wi * wpr + wr * wpi
    end
    len = len * 2
  end
end

local re, im, orig = {}, {}, {}
local seed = 7
for i = 1, size do
  seed = (seed * 16807) % 2147483647
  re[i] = seed / 2147483647 - 0.5
  im[i] = 0.0
  orig[i] = re[i]
end

local energy = 0.0
for _ = 1, 8 do
  transform(re, im, size, 1)
  energy = 0.0
  for i = 1, size do energy = energy + re[i] * re[i] + im[i] * im[i] end
  transform(re, im, size, -1)
  for i = 1, size do
    re[i] = re[i] / size
    im[i] = im[i] / size
  end
end

local err = 0.0
for i = 1, size do
  local d = math.abs(re[i] - orig[i])
  if d > err then err = d end
end
print(string.format("size %d  spectrum energy %.6f  round-trip error below 1e-9: %s",
  size, energy / size, tostring(err < 1e-9)))
