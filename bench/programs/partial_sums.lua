-- partial_sums.lua: nine partial sums of classic series (powers, harmonic,
-- Riemann zeta(2), Flint Hills, Cookson Hills, alternating series); floating
-- point with pow, sin and cos in one loop.
-- bench-group: numeric
-- bench-quick: 10000
-- usage: partial_sums.lua [n]   (default 2500000 terms)

local n = tonumber(arg and arg[1]) or 2500000
local sin, cos, sqrt = math.sin, math.cos, math.sqrt

local s0, s1, s2, s3, s4, s5, s6, s7, s8 = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
local alt = 1.0
local twothirds = 2.0 / 3.0
for k = 1, n do
  local kf = k + 0.0
  local k2 = kf * kf
  local k3 = k2 * kf
  local sk, ck = sin(kf), cos(kf)
  s0 = s0 + twothirds ^ (kf - 1.0)
  s1 = s1 + 1.0 / sqrt(kf)
  s2 = s2 + 1.0 / (kf * (kf + 1.0))
  s3 = s3 + 1.0 / (k3 * sk * sk)
  s4 = s4 + 1.0 / (k3 * ck * ck)
  s5 = s5 + 1.0 / kf
  s6 = s6 + 1.0 / k2
  s7 = s7 + alt / kf
  s8 = s8 + alt / (2.0 * kf - 1.0)
  alt = -alt
end

local names = { "(2/3)^k", "k^-0.5", "1/k(k+1)", "Flint Hills", "Cookson Hills",
                "Harmonic", "Riemann Zeta", "Alternating Harmonic", "Gregory" }
local sums = { s0, s1, s2, s3, s4, s5, s6, s7, s8 }
for i = 1, #names do
  print(string.format("%.9f\t%s", sums[i], names[i]))
end
