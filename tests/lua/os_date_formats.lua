-- os.date conversions in UTC, invalid specifiers, *t fields, os.time normalisation.
local T = 1700000000
for _, f in ipairs({"%a", "%A", "%b", "%B", "%c", "%C", "%d", "%D", "%e", "%F", "%g", "%G", "%h", "%H", "%I", "%j",
  "%m", "%M", "%n", "%p", "%r", "%R", "%S", "%t", "%T", "%u", "%U", "%V", "%w", "%W", "%x", "%X", "%y", "%Y", "%%", "%Ec", "%Oy"}) do
  io.write(f, "=[", os.date("!" .. f, T), "] ")
end
print()
print(pcall(os.date, "!%Q", T))
print(pcall(os.date, "!%E", T))
print(pcall(os.date, "%", T))
local t = os.date("!*t", T)
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = k .. "=" .. tostring(v) end
table.sort(keys)
print(table.concat(keys, " "))
print(os.date("!%Y-%m-%dT%H:%M:%SZ", 0), os.date("!%Y", -86400 * 366))
print(os.time({year = 2024, month = 2, day = 30, hour = 12}) == os.time({year = 2024, month = 3, day = 1, hour = 12}))
print(pcall(os.time, {year = 2024, month = "x", day = 1}))
print(pcall(os.time, {year = 2024, month = 1.5, day = 1}))
local d = os.date("*t", os.time({year = 2023, month = 12, day = 31, hour = 23, min = 59, sec = 60}))
print(d.year, d.month, d.day, d.hour, d.min, d.sec)
print(os.date("!%H:%M", 3600 * 1.0), pcall(os.date, "!%H", 1.5))
