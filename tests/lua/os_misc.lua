-- os.getenv, os.tmpname, os.clock, os.remove/rename errors, os.difftime.
print(type(os.getenv("HOME")), os.getenv("HOME") ~= nil, os.getenv("") == nil or os.getenv("") == "")
print(pcall(os.getenv))
local n1, n2 = os.tmpname(), os.tmpname()
print(type(n1), n1 ~= n2, #n1 > 0)
os.remove(n1) os.remove(n2)
local c0 = os.clock()
local x = 0
for i = 1, 100000 do x = x + i end
local c1 = os.clock()
print(c1 >= c0, math.type(c0), x)
local r1, r2 = os.remove("data/definitely_missing_file")
print(r1, r2)
local m1, m2 = os.rename("data/definitely_missing_file", "data/other")
print(m1, m2)
print(os.difftime(10, 4), math.type(os.difftime(10, 4)))
print(type(os.time()), os.time{year = 2000, month = 1, day = 1, hour = 12} > 0)
print(os.date("!%c", 0))
print(os.date("!%x %X", 3600 * 25))
