-- Arithmetic on numeric strings: result types and conversions.
print("10" + 1, "10" + 1.0, "10.0" + 1, "0x10" + 0, "1e2" + 0)
print("10" - "3", "10" * "3", "10" / "4", "10" // "3", "10" % "3", "2" ^ "10")
print(math.type("10" // "3"), math.type("10.0" // "3"), math.type("10" * "3"))
print("-7" // 2, "-7" % 2, " 8 " // "3", "\t9\n" + 0)
print(-"3", -"3.5", -" 0x10 ")
print(10 .. "", "10" + 0 == 10, "abc" .. 1 + 2)
print(pcall(function() return "1" + "x" end))
print(pcall(function() return "" + 1 end))
print(pcall(function() return "1 2" * 1 end))
print(pcall(function() return "0x" + 1 end))
print("9223372036854775807" + 0, "9223372036854775807" + 1, "9223372036854775808" + 0)
print("1e500" + 0, "-1e500" + 0)
print("5" == 5, "5" + 0 == 5, tostring(5) == "5")
print(#("12" + 3 .. ""), ("7"):rep("2"))
local t = {}
t["1"] = "string key"
t[1] = "number key"
print(t["1"], t[1], t["1" + 0])
