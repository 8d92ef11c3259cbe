-- gsub.lua: pattern matching over generated text: gsub with string, table and
-- function replacements, find, match with captures, and gmatch word counting.
-- Word counts are sorted before printing so the output is order-independent.
-- bench-group: strings
-- bench-quick: 20
-- usage: gsub.lua [n]   (default 15000 lines, 6 passes)

local n = tonumber(arg and arg[1]) or 15000

local vocab = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                "iota", "kappa", "lambda", "mu", "copy", "patch", "trace", "stencil" }
local lines = {}
local seed = 5
for i = 1, n do
  local words = {}
  for j = 1, 8 + i % 5 do
    seed = (seed * 16807) % 2147483647
    words[j] = vocab[seed % #vocab + 1]
  end
  lines[i] = string.format("%04d: %s = %d.%d; -- note %s", i, table.concat(words, " "),
    seed % 1000, i % 10, words[1])
end
local text = table.concat(lines, "\n")

local upper = { alpha = "ALPHA", trace = "TRACE", patch = "PATCH" }
local counts = {}
local h, subs = 0, 0
for pass = 1, 6 do
  local s, k = text:gsub("(%d+)%.(%d)", "%2.%1")
  subs = subs + k
  s, k = s:gsub("%a+", upper)
  subs = subs + k
  s, k = s:gsub("%-%- note (%a+)", function(w) return "[" .. #w .. "]" end)
  subs = subs + k
  local found, pos = 0, 1
  while true do
    local a, b = s:find("stencil", pos, true)
    if not a then break end
    found = found + 1
    pos = b + 1
  end
  local nums = 0
  for num, word in s:gmatch("(%d+): (%a+)") do
    nums = nums + tonumber(num) + #word
  end
  h = (h * 7 + found + nums + #s) % 1000000007
  if pass == 1 then
    for w in s:gmatch("%a+") do counts[w] = (counts[w] or 0) + 1 end
  end
end

local keys = {}
for w in pairs(counts) do keys[#keys + 1] = w end
table.sort(keys)
for _, w in ipairs(keys) do io.write(w, "=", counts[w], " ") end
io.write("\n")
print(string.format("substitutions %d  hash %d", subs, h))
