-- pat_long_subjects.lua: find, match, gmatch and gsub on subjects long enough
-- (>= 32 bytes) for the matcher's first-byte filter, with first items of
-- every kind (literals, classes and their complements, sets, %b, %f, '.',
-- captures, anchors, quantifiers that allow nothing) and malformed patterns
-- whose errors must still be reported.
local subjects = {
  "The quick brown fox jumps over 13 lazy dogs; (nested (parens)) end. $5 ^x",
  string.rep("ab12-- ", 12) .. "tail\0zero[bracket]%percent",
  "   leading spaces, 3.14159 and 2.71828, then [a] [b] [c] ()() and more words at the end",
  string.rep("x", 40) .. "y" .. string.rep("x", 40),
}
local patterns = {
  "o", "fox", "%d+", "%d", "%a+", "%A+", "%s", "%S+", "%w+", "%W", "%p", "%u%l+",
  "%x+", "[aeiou]+", "[^aeiou ]+", "[%d%.]+", "[]]", "[^%s]+", "%b()", "%b[]",
  "%f[%w]%w+", "%f[%d]", ".", ".-", "a*", "b?", "x-y", "(%a+) (%a+)", "()o", "(o)",
  "((%d)%.(%d+))", "%$%d", "$", "end%.", "^The", "^x", "%^x", "y$", "%z", "%%%a+",
  "\0", "[%]]", "[a-c]+", "-", "%-%-", "xy", "x+y", "(x*)y",
}
local malformed = { "[a", "%", "(%d", "%d)", "%b", "%b(", "%f", "%g%1", "(()" }

local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  return table.concat(t, ",")
end

for si, s in ipairs(subjects) do
  for _, p in ipairs(patterns) do
    local out = {}
    out[#out + 1] = show(s:find(p))
    out[#out + 1] = show(s:find(p, 10))
    out[#out + 1] = show(s:match(p))
    local n = 0
    for a, b in s:gmatch(p) do
      n = n + 1
      if n <= 3 then out[#out + 1] = show(a, b) end
    end
    out[#out + 1] = "n=" .. n
    local r, k = s:gsub(p, "<%0>")
    out[#out + 1] = #r .. ":" .. k .. ":" .. r:sub(1, 40)
    r, k = s:gsub(p, "#", 2)
    out[#out + 1] = r:sub(1, 30) .. ":" .. k
    print(si, (p:gsub("%z", "\\0")), table.concat(out, " | "))
  end
  for _, p in ipairs(malformed) do
    print(si, p, pcall(string.find, s, p), pcall(string.gsub, s, p, "x"))
    print(si, p, pcall(function() for _ in s:gmatch(p) do end end))
  end
end
