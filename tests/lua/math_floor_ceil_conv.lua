-- floor/ceil/tointeger/modf/abs conversions around integer limits.
local vals = {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2^52 + 0.5, 2^53, -2^53, 2^62, 2^63, -2^63, 1e300, -1e300}
for _, v in ipairs(vals) do
  local fl, ce = math.floor(v), math.ceil(v)
  print(v, fl, math.type(fl), ce, math.type(ce), math.tointeger(v))
end
print(math.floor(7), math.ceil(-7), math.type(math.floor(7)))
print(math.abs(math.mininteger + 1), math.abs(-2^63), math.abs(-1e-300))
print(math.modf(2.5), math.modf(-2.5), math.modf(0.0), math.modf(-0.0))
print(select(2, math.modf(5)), select(2, math.modf(1e100)), select(2, math.modf(-3.25)))
print(3 // 0.0, -3 // 0.0, 0.0 / 0.0 ~= 0.0 / 0.0, 3 % -0.0 ~= 3 % -0.0)
print(math.fmod(-6, 4), math.fmod(6, -4), -6 % 4, 6 % -4)
print(math.fmod(math.mininteger, 3), math.mininteger % 3, math.fmod(3, math.mininteger))
