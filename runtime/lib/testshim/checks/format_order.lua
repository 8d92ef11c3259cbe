-- string.format: which error wins when both the spec and the argument are bad
local function p(...) print(pcall(...)) end
p(string.format, "%123a", "x")
p(string.format, "%123f", "x")
p(string.format, "%123s", "a\0")
p(string.format, "%123s", "a")
p(string.format, "%123p", "a")
p(string.format, "%123x", "a")
p(string.format, "%123q", "a")
p(string.format, "%q", "a", "%123q")
