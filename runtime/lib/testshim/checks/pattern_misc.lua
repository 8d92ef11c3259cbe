-- Pattern corner cases: ')' outside specials, invalid pattern capture
local function p(...) print(pcall(...)) end
p(string.format, "%"..string.rep("-",20).."d", 1)
p(string.format, "%"..string.rep("-",21).."d", 1)
p(string.find, "a)", "a)")
p(string.find, "a)", "a%)")
p(string.find, "a)", "a.)")
p(string.match, "a)", "(a).)")
p(string.match, "a", "a)")
