-- tostring/tonumber/%q round trips for integers and floats.
local ints = {0, 1, -1, 42, 1 << 31, 1 << 53, math.maxinteger, math.mininteger}
for _, i in ipairs(ints) do
  local s = tostring(i)
  io.write(s, ":", tostring(tonumber(s) == i and math.type(tonumber(s)) == "integer"), " ")
end
print()
local floats = {0.5, -0.25, 1e10, 1.5e-7, 123.456, 2^60, 1/3}
for _, f in ipairs(floats) do
  local s = tostring(f)
  local back = tonumber(s)
  local q = load("return " .. string.format("%q", f))()
  print(s, back == f, q == f, string.format("%.17g", f) == string.format("%.17g", q))
end
print(tostring(1e15) == "1e+15", tostring(2^53) == "9.007199254741e+15")
print(tonumber(tostring(1/3)) == 1/3, tonumber(string.format("%.17g", 1/3)) == 1/3)
print(math.tointeger("42"), tonumber("42.0"), math.type(tonumber("42.0")))
print(string.format("%d", tonumber("7")), string.format("%.3f", tonumber("2.5")))
