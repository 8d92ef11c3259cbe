-- regex_dna.lua: the shape of the benchmarks-game regex-dna task with Lua
-- patterns: a generated FASTA file is cleaned of its header lines and line
-- breaks with gsub, eight sequence variants (each a pair of alternatives,
-- Lua patterns having no '|') are counted with gmatch and find, and IUB
-- ambiguity codes are expanded with gsub and a replacement table.
-- bench-group: strings
-- bench-quick: 2000
-- usage: regex_dna.lua [n]   (default 400000 bases per sequence)

local n = tonumber(arg and arg[1]) or 400000

-- A FASTA file of three sequences, 60 bases a line, from a fixed generator.
local seed = 42
local function pick(alphabet)
  seed = (seed * 3877 + 29573) % 139968
  local k = math.floor(seed * #alphabet / 139968) + 1
  return alphabet:sub(k, k)
end
local parts = {}
local codes = { "acgt", "acgtBDHKMNRSVWY", "ggcccgggagaatcgcttgaacccgggaggcggaggttgcagtgagc" }
for s = 1, 3 do
  parts[#parts + 1] = ">SEQ" .. s .. " generated sequence number " .. s .. "\n"
  local line = {}
  for i = 1, n do
    line[#line + 1] = pick(codes[s])
    if #line == 60 or i == n then
      parts[#parts + 1] = table.concat(line) .. "\n"
      line = {}
    end
  end
end
local input = table.concat(parts)

local seq = input:gsub(">[^\n]*\n", ""):gsub("\n", "")
print(#input, #seq)

local variants = {
  { "agggtaaa", "tttaccct" },
  { "[cgt]gggtaaa", "tttaccc[acg]" },
  { "a[act]ggtaaa", "tttacc[agt]t" },
  { "ag[act]gtaaa", "tttac[agt]ct" },
  { "agg[act]taaa", "ttta[agt]cct" },
  { "aggg[acg]aaa", "ttt[cgt]ccct" },
  { "agggt[cgt]aa", "tt[acg]accct" },
  { "agggta[cgt]a", "t[acg]taccct" },
  { "agggtaa[cgt]", "[acg]ttaccct" },
}
for _, v in ipairs(variants) do
  local count = 0
  for _ in seq:gmatch(v[1]) do count = count + 1 end
  local pos = 1
  while true do
    local a, b = seq:find(v[2], pos)
    if not a then break end
    count = count + 1
    pos = b + 1
  end
  print(v[1] .. "|" .. v[2], count)
end

local iub = {
  B = "(c|g|t)", D = "(a|g|t)", H = "(a|c|t)", K = "(g|t)", M = "(a|c)",
  N = "(a|c|g|t)", R = "(a|g)", S = "(c|g)", V = "(a|c|g)", W = "(a|t)", Y = "(c|t)",
}
local expanded, subs = seq:gsub("[BDHKMNRSVWY]", iub)
print(#expanded, subs)
local runs = 0
for run in expanded:gmatch("%((%a|%a)%)") do runs = runs + #run end
print(runs)
