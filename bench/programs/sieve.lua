-- sieve.lua: the sieve of Eratosthenes, repeated; array stores and loads in
-- tight integer loops.
-- bench-group: numeric
-- bench-quick: 10000
-- usage: sieve.lua [limit]   (default 2000000)

local limit = tonumber(arg and arg[1]) or 2000000

local function sieve(m)
  local composite = {}
  for i = 1, m do composite[i] = false end
  local count = 0
  for i = 2, m do
    if not composite[i] then
      count = count + 1
      for j = i * i, m, i do composite[j] = true end
    end
  end
  return count
end

local count = 0
for _ = 1, 8 do count = sieve(limit) end
print(string.format("primes below %d: %d", limit, count))
