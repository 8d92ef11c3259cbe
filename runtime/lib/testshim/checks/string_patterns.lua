-- Pattern matching: find, match, gmatch, gsub over many subjects/patterns.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  return table.concat(t, ",")
end
local subjects = {"", "a", "hello world", "  key = value  ", "f(a(b)c)d", "THE (quick) fox",
  "x=1, y=22, z=333", "aaa", "a.b.c", "[[nested]]", "one\ntwo\n", "\0a\0", "caf\195\169",
  "2024-01-15T10:30:00", "abcabcabc", "%d%%", "ab12cd345"}
local patterns = {"", "a", "^a", "a$", "^$", ".", "..", "%a+", "%d+", "%s*", "(%w+)=(%w+)",
  "%b()", "%b[]", "%f[%a]%a+", "%f[%A]", "(a)(b)(c)", "()a()", "[%a%d]+", "[^%s]+", "a-b",
  "a*", "a+", "a?", "a-", "(%d%d%d%d)-(%d%d)-(%d%d)", "(.)%1", "(a*(.)%w(%s*))", "%.",
  "[%.%-]", "[a-c]+", "[^a-c]+", "%%", "%x+", "%p+", "%c", "%u+", "%l+", "%g+", "[]]",
  "[^]]", "[a%]]", "%z", "(h)(e)(l)(l)(o)", "^(%s*)(.-)(%s*)$", ".-b", "%w-%d", "()"}
for _, s in ipairs(subjects) do
  for _, p in ipairs(patterns) do
    io.write(string.format("%q %q | ", s, p))
    io.write(show(pcall(string.find, s, p)), " | ")
    io.write(show(pcall(string.find, s, p, 3)), " | ")
    io.write(show(pcall(string.find, s, p, -2)), " | ")
    io.write(show(pcall(string.match, s, p)), " | ")
    io.write(show(pcall(string.gsub, s, p, "<%0>")), " | ")
    local ok, err = pcall(function()
      local out = {}
      for a, b in string.gmatch(s, p) do out[#out + 1] = tostring(a) .. ":" .. tostring(b) end
      return table.concat(out, ";")
    end)
    io.write(tostring(ok), " ", tostring(err), "\n")
  end
end
-- plain find
print(string.find("a+b*c", "+b*", 1, true), string.find("abc", "", 2, true), string.find("abc", "c", -1, true))
print(string.find("abc", "b", 10), string.find("", ""), string.find("", "", 1), string.find("", "", 2))
-- gsub replacements
print(string.gsub("hello world", "(%w+)", "%1 %1"))
print(string.gsub("hello world", "%w+", "%0 %0", 1))
print(string.gsub("hello world", "(%w+) (%w+)", "%2 %1"))
print(string.gsub("$name is $age", "%$(%w+)", {name = "Bob", age = 42}))
print(string.gsub("abc", "%w", {a = false, b = "B"}))
print(string.gsub("abc", "(%w)", function(c) return c:byte() end))
print(string.gsub("abc", "", "-"))
print(string.gsub("abc", ".-", "-"))
print(string.gsub("a,b,,c", ",", ";", 2))
print(string.gsub("x", "x", "%%"))
print(string.gsub("abc", "b()", "%1"))
print(string.gsub("abc", "^a", "A"))
print(string.gsub("aaa", "^a", "A"))
print(string.gsub("hello", "l+", function() end))
print(string.gsub("hello", "l", 7))
print(string.gsub("hello", "l", 7.5))
print(pcall(string.gsub, "hello", "l", true))
print(pcall(string.gsub, "hello", "l"))
print(pcall(string.gsub, "hello", "(l)", "%9"))
print(pcall(string.gsub, "hello", "l", function() return {} end))
print(string.gsub("abc def", "%f[%w]%w+", string.upper))
-- gmatch with init and anchors
for w in string.gmatch("one two three", "%a+", 5) do io.write(w, ";") end print()
for w in string.gmatch("one two three", "%a+", -5) do io.write(w, ";") end print()
for w in string.gmatch("^a^a", "^a") do io.write(w, ";") end print()
for a, b in string.gmatch("k1=v1 k2=v2", "(%w+)=(%w+)") do io.write(a, "->", b, ";") end print()
for p in string.gmatch("abc", "()") do io.write(p, ";") end print()
-- long subjects
local long = string.rep("ab", 5000)
print(#string.gsub(long, "a", "xyz"), string.find(long, "b", 9999), select(2, string.gsub(long, "ab", "")))
print(string.match(string.rep("a", 1000) .. "b", "a*b") == string.rep("a", 1000) .. "b")
print(pcall(string.rep))
