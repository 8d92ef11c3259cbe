-- Differential fuzzing of the pattern matcher and of string.format's
-- specification parser: random patterns and formats from small alphabets,
-- results and error messages must equal lua5.4's.  Deterministic LCG.
local seed = 4242
local function rnd(n) seed = (seed * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff return (seed >> 33) % n end
local function randstr(alphabet, maxlen)
  local t = {}
  for i = 1, rnd(maxlen + 1) do local k = rnd(#alphabet) + 1 t[i] = alphabet:sub(k, k) end
  return table.concat(t)
end
local function show(...)
  local r = table.pack(...)
  for i = 1, r.n do r[i] = type(r[i]) == "string" and string.format("%q", r[i]) or tostring(r[i]) end
  return table.concat(r, ",", 1, r.n)
end
local patalpha = "ab.()%[]^$*+-?1bfadsw"
local subjalpha = "aab()[] b%"
for i = 1, 4000 do
  local p = randstr(patalpha, 8)
  local s = randstr(subjalpha, 10)
  local init = rnd(14) - 3
  local out = {show(pcall(string.find, s, p, init)), show(pcall(string.match, s, p)),
    show(pcall(string.gsub, s, p, "<%0>")), show(pcall(string.gsub, s, p, "%1")),
    show(pcall(function() local r = {} for a, b in s:gmatch(p) do r[#r + 1] = show(a, b) end return table.concat(r, ";") end))}
  print(i, string.format("%q %q %d", s, p, init), table.concat(out, " | "))
end
local fmtalpha = "-+ #0123456789.diuxXocsqaAeEfgG%l"
local args = {0, -1, 3.5, 2^63, "str", 65, -0.0, 1/0}
for i = 1, 4000 do
  local f = "%" .. randstr(fmtalpha, 6)
  local a = args[rnd(#args) + 1]
  print(i, string.format("%q", f), tostring(a), show(pcall(string.format, f, a, a)))
end
