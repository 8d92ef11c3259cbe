-- os.date / os.time over many timestamps and every accepted conversion.
local convs = {"a", "A", "b", "B", "c", "C", "d", "D", "e", "F", "g", "G", "h", "H", "I", "j", "m", "M",
  "n", "p", "r", "R", "S", "t", "T", "u", "U", "V", "w", "W", "x", "X", "y", "Y", "z", "Z", "%",
  "Ec", "EC", "Ex", "EX", "Ey", "EY", "Od", "Oe", "OH", "OI", "Om", "OM", "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy"}
local stamps = {0, 1, 59, 86399, 951782400, 1e9, 1234567890, 1700000000, 2^31 - 1, 2^31, -1, -86400 * 365, 4102444800}
for _, t in ipairs(stamps) do
  local parts = {}
  for _, c in ipairs(convs) do parts[#parts + 1] = os.date("!%" .. c, t) end
  print(t, table.concat(parts, "|"))
  local d = os.date("!*t", t)
  print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
  local l = os.date("*t", t)
  local ok, r = pcall(os.time, l)
  print(ok, r == t, os.date("%Y-%m-%d %H:%M:%S", t))
end
for _, bad in ipairs{"E", "O", "Ea", "Oa", "q", "1", "%", "abc%"} do print(pcall(os.date, "%" .. bad, 0)) end
print(os.date("!", 0), os.date("", 0), os.date("!plain text", 0), os.date("!a%%b", 0))
print(#os.date(string.rep("%c", 40), 0))
local t = {year = 2000, month = 13, day = 1, hour = 25, min = 61, sec = 61}
print(os.time(t), t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
print(os.time({year = 2000, month = 2, day = 30}), os.time({year = 1970, month = 1, day = 1, hour = 0}))
print(os.time({year = "2000", month = "1", day = 1.0}))
print(pcall(os.time, {year = 2000, month = 1}), pcall(os.time, {year = 2000, month = 1, day = {}}))
print(pcall(os.time, {year = 2000, month = 1, day = 2^40}), pcall(os.time, 5))
print(pcall(os.date, "%Y", 2^62), pcall(os.date, "%Y", 1.5), pcall(os.date, {}, 1))
print(os.difftime(100, 50.0), pcall(os.difftime, 1.5, 1), math.type(os.difftime(1, 1)))
print(os.getenv("TZ"), pcall(os.getenv, {}), type(os.tmpname()))
print(pcall(os.setlocale, nil, "bad"), os.setlocale(), os.setlocale("C", "numeric"), os.setlocale("xx_YY"))
print(os.execute(), os.execute("exit 2"), os.execute("true"))
print(os.remove("/tmp/cpjit_no_such_file_xyz"), os.rename("/tmp/cpjit_no_such_a", "/tmp/cpjit_no_such_b"))
print(type(os.clock()), os.clock() >= 0, math.type(os.time()))
