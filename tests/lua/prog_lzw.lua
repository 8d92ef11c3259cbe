-- LZW compression and decompression round trip over data/text.txt.
local function compress(s)
  local dict, size = {}, 256
  for i = 0, 255 do dict[string.char(i)] = i end
  local w, out = "", {}
  for c in s:gmatch(".") do
    local wc = w .. c
    if dict[wc] then w = wc else
      out[#out + 1] = dict[w]
      dict[wc] = size size = size + 1
      w = c
    end
  end
  if w ~= "" then out[#out + 1] = dict[w] end
  return out
end
local function decompress(codes)
  local dict, size = {}, 256
  for i = 0, 255 do dict[i] = string.char(i) end
  local w = dict[codes[1]]
  local out = {w}
  for i = 2, #codes do
    local k = codes[i]
    local entry
    if dict[k] then entry = dict[k]
    elseif k == size then entry = w .. w:sub(1, 1)
    else error("bad code " .. k) end
    out[#out + 1] = entry
    dict[size] = w .. entry:sub(1, 1) size = size + 1
    w = entry
  end
  return table.concat(out)
end
local f = assert(io.open("data/text.txt"))
local text = f:read("a")
f:close()
local codes = compress(text)
print(#text, #codes, decompress(codes) == text)
local first = {}
for i = 1, 20 do first[i] = codes[i] end
print(table.concat(first, " "))
for _, s in ipairs({"TOBEORNOTTOBEORTOBEORNOT", "aaaaaaaaaaaaaaaa", "ab", "x"}) do
  local c = compress(s)
  print(s, #c, table.concat(c, ","), decompress(c) == s)
end
print(pcall(decompress, {65, 999}))
