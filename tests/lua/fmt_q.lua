-- string.format %q for strings, integers, floats and special values.
local f = string.format
print(f("%q", "hello"))
print(f("%q", 'a "quoted" string'))
print(f("%q", "line1\nline2"))
print(f("%q", "tab\there\0zero\1one\255"))
print(f("%q", "back\\slash\r\n"))
print(f("%q", "digits after zero: \0" .. "1"))
print(f("%q", 42), f("%q", -7), f("%q", math.mininteger), f("%q", math.maxinteger))
print(f("%q", 1.5), f("%q", 0.1), f("%q", 1e100), f("%q", -0.0))
print(f("%q", 1/0), f("%q", -1/0), f("%q", 0/0))
print(f("%q", true), f("%q", false), f("%q", nil))
print(pcall(f, "%q", {}))
print(pcall(f, "%10q", "x"))
local s = "all\0bytes\1\2\3\127\n\"\\"
local back = load("return " .. f("%q", s))()
print(back == s)
for _, v in ipairs({0.1, 1/3, 2^60, -1e-300, 123.0}) do
  local r = load("return " .. f("%q", v))()
  io.write(tostring(r == v), " ")
end
print()
print(f("%q", "\u{E9}"))
print(f("%q", "\27[0m"))
