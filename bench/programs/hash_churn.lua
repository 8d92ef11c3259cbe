-- hash_churn.lua: a hash table under churn: string and integer keys inserted,
-- looked up, updated and deleted in a sliding window; measures table hashing,
-- rehashing and key interning. Output never depends on iteration order.
-- bench-group: tables
-- bench-quick: 2000
-- usage: hash_churn.lua [n]   (default 200000 operations per round)

local n = tonumber(arg and arg[1]) or 200000
local window = 5000

local names = {}
for i = 1, 512 do names[i] = "key_" .. i .. "_" .. (i * 7919) % 1000 end

local t = {}
local live, hits, misses, sum = 0, 0, 0, 0
local seed = 2024
for round = 1, 3 do
  for i = 1, n do
    seed = (seed * 16807) % 2147483647
    local k = names[seed % 512 + 1] .. (i % 97)
    local v = t[k]
    if v then
      hits = hits + 1
      t[k] = v + round
    else
      misses = misses + 1
      t[k] = round
      live = live + 1
    end
    -- integer-keyed sparse part: insert now, delete window steps later
    t[i * 3 + round] = i
    local old = i - window
    if old > 0 then
      local ov = t[old * 3 + round]
      if ov then
        sum = sum + ov
        t[old * 3 + round] = nil
      end
    end
  end
end

local strkeys, total = 0, 0
for k, v in pairs(t) do
  if type(k) == "string" then
    strkeys = strkeys + 1
    total = total + v
  end
end
print(string.format("hits %d misses %d live %d strkeys %d total %d sum %d",
  hits, misses, live, strkeys, total, sum))
