-- jit_strings_ops.lua: string operations inside hot loops (traces): #s,
-- comparisons, concatenation with numbers, string.len/sub/byte/char/rep,
-- tostring, tonumber and method calls, with embedded zeros, negative and
-- out-of-range positions, and values changing type mid-loop.

local function show(...) print(...) end

-- lengths, bytes and substrings with negative and out-of-range positions
local s = "abc\0def\0ghi-jkl"
local acc = {}
for i = -20, 20 do
  local a = s:sub(i)
  local b = s:sub(i, i + 3)
  local c = string.sub(s, -i, i)
  local by = s:byte(i)
  local by2 = string.byte(s, i)
  acc[#acc + 1] = #a .. "/" .. #b .. "/" .. #c .. "/" .. tostring(by) .. "/" ..
    tostring(by2)
end
show(table.concat(acc, " "))

-- embedded zeros survive sub, concat and comparisons
local z = "\0\0x\0"
local zs = {}
for i = 1, 30 do
  local t = z:sub(i % 4 + 1) .. i .. z
  zs[#zs + 1] = #t
  if t < z then zs[#zs + 1] = "lt" end
  if t == z .. "" then zs[#zs + 1] = "eq" end
end
show(table.concat(zs, ","))

-- concatenation of strings, integers and floats
local parts = {}
for i = 1, 40 do
  local f = i / 4
  parts[#parts + 1] = "n" .. i .. ":" .. f .. ";" .. (i * 1000000007) .. (-i)
end
show(table.concat(parts))

-- string.char, string.rep, tostring, tonumber
local out = {}
for i = 1, 60 do
  local ch = string.char(65 + i % 26, 97 + i % 26)
  local r = string.rep(ch, i % 4)
  local t = tostring(i * 7) .. tostring(i + 0.5) .. tostring("x" .. i)
  local n1 = tonumber(tostring(i * 3))
  local n2 = tonumber("0x" .. i % 16)
  local n3 = tonumber(" " .. i .. ".25 ")
  local n4 = tonumber("12z" .. i)
  local n5 = tonumber(i * 2)
  out[#out + 1] = ch .. r .. t .. tostring(n1) .. tostring(n2) ..
    tostring(n3) .. tostring(n4) .. tostring(n5) .. string.len(r)
end
show(table.concat(out, "|"))

-- ordering and equality of short and long strings
local long1 = string.rep("ab", 30)
local long2 = string.rep("ab", 29) .. "ac"
local words = { "pear", "apple", "fig", long1, long2, "", "apple\0x", "apple" }
local cmp = {}
for i = 1, 200 do
  local x, y = words[i % #words + 1], words[(i * 3) % #words + 1]
  local c = (x < y and "<" or "") .. (x <= y and "=<" or "") ..
    (x == y and "==" or "") .. (x ~= y and "~=" or "") ..
    (x == long1 and "L1" or "") .. (x > y and ">" or "")
  cmp[#cmp + 1] = c
end
show(table.concat(cmp, " "))

-- a slot that holds a string, then a number, then a string again
local mix = 0
local v = "12"
for i = 1, 120 do
  if i == 40 then v = 7 elseif i == 80 then v = "3.5" end
  local r = tonumber(v)
  local t = tostring(v)
  mix = mix + r + #t
  if type(v) == "string" then mix = mix + #v + v:len() end
end
show(mix)

-- methods of strings: the string table, and a method added mid-loop
local cnt = 0
for i = 1, 100 do
  if i == 50 then
    string.twice = function(x) return x .. x end
  end
  local w = ("w" .. i)
  cnt = cnt + #w:upper() + (string.twice and #w:twice() or 0)
end
string.twice = nil
show(cnt)

-- a metatable for strings whose __index changes mid-loop
local mt = getmetatable("")
local old = mt.__index
local got = {}
for i = 1, 60 do
  if i == 30 then
    mt.__index = setmetatable({ sub = function() return "!" end }, { __index = old })
  end
  got[#got + 1] = ("abcdef"):sub(2, 3) .. ("xy"):rep(2)
end
mt.__index = old
show(table.concat(got))
