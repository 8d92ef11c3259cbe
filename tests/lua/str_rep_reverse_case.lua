-- string.rep, reverse, upper, lower.
print(string.rep("ab", 3), string.rep("ab", 3, ","), string.rep("x", 0), string.rep("x", -1))
print("[" .. string.rep("", 1000) .. "]", #string.rep("abc", 1000), string.rep("a", 1, "SEP"))
print(string.rep("-", 2, ""), #string.rep("ab", 100, "cd"))
print(string.reverse("hello"), string.reverse(""), string.reverse("a"), ("abc\0d"):reverse():byte(1, -1))
print(string.upper("MiXeD 123 äöü"), string.lower("MiXeD 123"))
print(("straße"):upper())
print(string.upper(""), string.lower("ÀB"))
print(pcall(string.rep))
print(pcall(string.rep, "x", "y"))
print(pcall(string.rep, "x", 1e10 * 1e10))
print(string.rep(5, 3), string.upper(12))
local s = "The Quick Brown Fox"
print(s:lower():upper():lower(), s:reverse():reverse() == s)
