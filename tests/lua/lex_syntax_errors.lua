-- Syntax errors reported by load, returned as values.
local cases = {
  "x = ",
  "x = 1 +",
  "local 1 = 2",
  "if x then",
  "for i = 1 do end",
  "return return",
  "x = 'unclosed",
  "x = [[unclosed",
  "x = \"bad \\q escape\"",
  "x = 0x",
  "x = 1e",
  "x = 3..4",
  "goto nowhere",
  "::a:: ::a::",
  "break",
  "local x <foo> = 1",
  "local x <const> = 1; x = 2",
  "f(",
  "x = }",
  "x = \"\\300\"",
  "x = \"\\u{110000000}\"",
  "--[[ unfinished comment",
  "a.b:c = 1",
  "x = 1 2",
  "return ...",
  "function f() return ... end",
  "local t = {1, 2,, 3}",
  "x = \"\\xZZ\"",
  "for a, b in pairs(t) end",
  "else",
}
for i, src in ipairs(cases) do
  local f, err = load(src, "=src")
  if f then
    print(i, "compiled")
  else
    print(i, err)
  end
end
-- chunk names
print(select(2, load("x=", "chunkname")))
print(select(2, load("x=", "@file.lua")))
print(select(2, load("x=", "=custom")))
print(select(2, load("\n\n\nx=")))
