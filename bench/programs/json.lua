-- json.lua: a JSON-like encoder and recursive-descent decoder written in Lua:
-- nested objects and arrays, string escapes, integers and decimals. Documents
-- are encoded, decoded and encoded again; object keys are emitted in sorted
-- order so the text is the same under every VM.
-- bench-group: strings
-- bench-quick: 3
-- usage: json.lua [n]   (default 240 round trips)

local n = tonumber(arg and arg[1]) or 240
local concat, format, byte, sub = table.concat, string.format, string.byte, string.sub

-- -- Encoder -----------------------------------------------------------------

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t" }

local encode_value

local function encode_string(s, out)
  out[#out + 1] = '"' .. s:gsub('[%c"\\]', escapes) .. '"'
end

local function is_array(t)
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == #t
end

function encode_value(v, out)
  local tv = type(v)
  if tv == "table" then
    if is_array(v) and #v > 0 then
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        encode_value(v[i], out)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        encode_string(k, out)
        out[#out + 1] = ":"
        encode_value(v[k], out)
      end
      out[#out + 1] = "}"
    end
  elseif tv == "string" then
    encode_string(v, out)
  elseif tv == "number" then
    if v == math.floor(v) then
      out[#out + 1] = format("%d", v)
    else
      out[#out + 1] = format("%.4f", v)
    end
  elseif tv == "boolean" then
    out[#out + 1] = v and "true" or "false"
  else
    error("cannot encode a " .. tv)
  end
end

local function encode(v)
  local out = {}
  encode_value(v, out)
  return concat(out)
end

-- -- Decoder -----------------------------------------------------------------

local B_QUOTE, B_BACKSLASH, B_LBRACE, B_LBRACKET = byte('"'), byte("\\"), byte("{"), byte("[")
local B_MINUS, B_0, B_9, B_DOT = byte("-"), byte("0"), byte("9"), byte(".")
local unescape = { n = "\n", t = "\t", ['"'] = '"', ["\\"] = "\\" }

local decode_at

local function skip_space(s, i)
  local c = byte(s, i)
  while c == 32 or c == 10 or c == 9 or c == 13 do
    i = i + 1
    c = byte(s, i)
  end
  return i
end

local function decode_string(s, i)
  -- s[i] is the opening quote
  local parts = {}
  local start = i + 1
  local j = start
  while true do
    local c = byte(s, j)
    if c == nil then error("unterminated string") end
    if c == B_QUOTE then
      parts[#parts + 1] = sub(s, start, j - 1)
      return concat(parts), j + 1
    elseif c == B_BACKSLASH then
      parts[#parts + 1] = sub(s, start, j - 1)
      local e = unescape[sub(s, j + 1, j + 1)]
      if not e then error("bad escape at " .. j) end
      parts[#parts + 1] = e
      j = j + 2
      start = j
    else
      j = j + 1
    end
  end
end

local function decode_number(s, i)
  local j = i
  local c = byte(s, j)
  if c == B_MINUS then
    j = j + 1
    c = byte(s, j)
  end
  while c and ((c >= B_0 and c <= B_9) or c == B_DOT) do
    j = j + 1
    c = byte(s, j)
  end
  return tonumber(sub(s, i, j - 1)), j
end

function decode_at(s, i)
  i = skip_space(s, i)
  local c = byte(s, i)
  if c == B_LBRACE then
    local obj = {}
    i = skip_space(s, i + 1)
    if byte(s, i) == byte("}") then return obj, i + 1 end
    while true do
      local key
      key, i = decode_string(s, skip_space(s, i))
      i = skip_space(s, i)
      if byte(s, i) ~= byte(":") then error("expected ':' at " .. i) end
      obj[key], i = decode_at(s, i + 1)
      i = skip_space(s, i)
      c = byte(s, i)
      if c == byte("}") then return obj, i + 1 end
      if c ~= byte(",") then error("expected ',' or '}' at " .. i) end
      i = i + 1
    end
  elseif c == B_LBRACKET then
    local arr = {}
    i = skip_space(s, i + 1)
    if byte(s, i) == byte("]") then return arr, i + 1 end
    while true do
      arr[#arr + 1], i = decode_at(s, i)
      i = skip_space(s, i)
      c = byte(s, i)
      if c == byte("]") then return arr, i + 1 end
      if c ~= byte(",") then error("expected ',' or ']' at " .. i) end
      i = i + 1
    end
  elseif c == B_QUOTE then
    return decode_string(s, i)
  elseif c == B_MINUS or (c and c >= B_0 and c <= B_9) then
    return decode_number(s, i)
  elseif sub(s, i, i + 3) == "true" then
    return true, i + 4
  elseif sub(s, i, i + 4) == "false" then
    return false, i + 5
  end
  error("unexpected character at " .. i)
end

local function decode(s)
  local v, i = decode_at(s, 1)
  if skip_space(s, i) <= #s then error("trailing text at " .. i) end
  return v
end

-- -- Documents ---------------------------------------------------------------

local function make_document(seed)
  local users = {}
  for i = 1, 120 do
    seed = (seed * 16807) % 2147483647
    users[i] = {
      id = i,
      name = "user \"" .. i .. "\"",
      score = (seed % 10000) / 100,
      active = seed % 3 ~= 0,
      tags = { "t" .. seed % 7, "t" .. seed % 11, "line\nbreak" },
      address = { city = "city" .. seed % 50, zip = seed % 100000, geo = { -1.5, 2.25 } },
    }
  end
  return { version = 3, title = "bench\tdata", users = users, empty = {} }
end

local h, total = 0, 0
local doc = make_document(17)
local text = encode(doc)
for round = 1, n do
  local back = decode(text)
  back.version = round
  local again = encode(back)
  total = total + #again
  h = (h * 31 + #again + byte(again, #again - round % 100)) % 1000000007
end
print(string.format("document %d bytes, total %d, hash %d", #text, total, h))
print(sub(text, 1, 140))
