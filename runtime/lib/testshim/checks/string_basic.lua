-- len sub byte char rep reverse upper lower, positions and errors.
local s = "Hello, World"
local idx = {math.mininteger, -100, -13, -12, -5, -1, 0, 1, 2, 5, 12, 13, 100, math.maxinteger}
for _, i in ipairs(idx) do
  local row = {}
  for _, j in ipairs(idx) do row[#row + 1] = "[" .. s:sub(i, j) .. "]" end
  print(i, s:sub(i), table.concat(row))
end
for _, i in ipairs(idx) do
  print(i, s:byte(i), select("#", s:byte(i, i + 3)), s:byte(i, i + 3))
end
print(s:len(), #"", ("\0\0"):len(), s:upper(), s:lower(), s:reverse(), (""):reverse())
print(("abc"):rep(3), ("abc"):rep(3, "--"), ("x"):rep(0), ("x"):rep(-5), ("x"):rep(1, "sep"), (""):rep(5, ","))
print(string.char(), string.char(72, 105, 0, 255):byte(1, -1))
print(("%d"):format(5), ("x"):rep(3):upper(), #("\xe4\xf6"):upper())
for _, args in ipairs{{}, {"x"}, {"x", "y"}, {1, 2}, {{}, 1}, {"x", 1.5}, {"x", "2"}, {"x", "z"}} do
  print(pcall(string.sub, table.unpack(args, 1, 2)))
  print(pcall(string.rep, table.unpack(args, 1, 2)))
  print(pcall(string.byte, table.unpack(args, 1, 2)))
end
print(pcall(string.char, 65, "66", 67.0), pcall(string.char, 65.5), pcall(string.char, {}))
print(pcall(string.rep, "ab", 2^31), pcall(string.rep, "", 2^20), pcall(string.rep, "x", 3, {}))
print(pcall(string.len), pcall(string.lower, nil), pcall(string.upper, 12), string.len(123))
print(("test"):find("t", 2), ("test"):match("(t)(e)"), ("x"):byte(), ("abc"):byte(-1))
print(tostring(12):rep(2), (1.5 .. ""):sub(2))
