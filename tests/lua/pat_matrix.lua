-- Many patterns against many subjects through find, match, gsub and gmatch.
local subjects = {"", "a", "aaa", "abc", "hello world", "  x  ", "a.b-c", "(nested (parens))", "key=val; k2=v2",
  "123abc456", "UPPER lower", "tab\tsep\nnl", "x%y", "[br]ack", "\0z\0"}
local patterns = {"a", "a*", "a-", "a+", "a?", ".", ".-", "^a", "a$", "^$", "%a+", "%d+", "%s+", "%S+", "%w+",
  "%p", "%u%l", "[%a%d]+", "[^%s]+", "[a-c]+", "[%-%.]", "%b()", "%f[%w]%w+", "(%w+)=(%w+)", "()a()",
  "(a)%1", "[]]", "[^]]+", "%%", "%z", "x?y", "(.)(.)", "^(%s*)(.-)(%s*)$", "%.", "[.]"}
local function fmt(...)
  local n = select('#', ...)
  local t = {}
  for i = 1, n do t[i] = tostring((select(i, ...))) end
  return n .. ":" .. table.concat(t, ",")
end
for si, s in ipairs(subjects) do
  for _, p in ipairs(patterns) do
    local ok1, f = pcall(function() return fmt(string.find(s, p)) end)
    local ok2, m = pcall(function() return fmt(string.match(s, p)) end)
    local ok3, g = pcall(function() return fmt(string.gsub(s, p, "<%0>")) end)
    local ok4, gm = pcall(function()
      local out = {}
      for a in string.gmatch(s, p) do out[#out + 1] = tostring(a) if #out > 20 then break end end
      return table.concat(out, "|")
    end)
    print(si, p, f, m, g, gm)
  end
end
