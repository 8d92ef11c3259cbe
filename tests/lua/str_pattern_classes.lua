-- Every character class and its complement, sets and ranges.
local all = {}
for i = 0, 127 do all[#all + 1] = string.char(i) end
local ascii = table.concat(all)
local classes = {"a", "c", "d", "g", "l", "p", "s", "u", "w", "x"}
for _, c in ipairs(classes) do
  local lower = select(2, ascii:gsub("%" .. c, ""))
  local upper = select(2, ascii:gsub("%" .. c:upper(), ""))
  print(c, lower, upper, lower + upper)
end
print((ascii:gsub("[^%p]", "")))
print((ascii:gsub("[^%x]", "")))
print((ascii:gsub("[^a-fA-F0-5]", "")))
print((ascii:gsub("[^%]%-%^]", "")))
print((ascii:gsub("[^]]", "")))
print((ascii:gsub("[^%a_]", "")))
print(("a-b_c"):gsub("[-_]", "+"))
print(("x^y"):gsub("[x^]", "#"), ("x^y"):gsub("[%^]", "#"))
print(("hello world"):gsub("[aeiou]", string.upper))
print(("abc123"):gsub(".", {a = "A", ["1"] = "one"}))
print(("  x  "):gsub("%s", "."))
print(("%d"):gsub("%%", "%%%%"))
print(("a.b"):gsub("%.", "%%"))
print(("tab\there"):find("%c"))
