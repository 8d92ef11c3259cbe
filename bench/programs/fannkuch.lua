-- fannkuch.lua: fannkuch-redux: for every permutation of 1..n, count the prefix
-- reversals needed until 1 comes first; integer array shuffling. The whole
-- computation is repeated four times to reach a measurable run time.
-- bench-group: numeric
-- bench-quick: 6
-- usage: fannkuch.lua [n]   (default 9)

local n = tonumber(arg and arg[1]) or 9

local function fannkuch(m)
  -- count[] uses indexes 0..m-1 so that count[r] belongs to rotation length r+1
  local perm, work, count = {}, {}, {}
  for i = 1, m do perm[i] = i end
  local maxflips, checksum, sign = 0, 0, 1
  local r = m
  while true do
    while r ~= 1 do
      count[r - 1] = r
      r = r - 1
    end
    -- count flips for the current permutation
    local first = perm[1]
    if first ~= 1 then
      for i = 1, m do work[i] = perm[i] end
      local flips = 0
      local k = first
      while k ~= 1 do
        local lo, hi = 1, k
        while lo < hi do
          work[lo], work[hi] = work[hi], work[lo]
          lo = lo + 1
          hi = hi - 1
        end
        flips = flips + 1
        k = work[1]
      end
      if flips > maxflips then maxflips = flips end
      checksum = checksum + sign * flips
    end
    sign = -sign
    -- advance to the next permutation by rotating ever longer prefixes
    while true do
      if r == m then return checksum, maxflips end
      local p0 = perm[1]
      for i = 1, r do perm[i] = perm[i + 1] end
      perm[r + 1] = p0
      count[r] = count[r] - 1
      if count[r] > 0 then break end
      r = r + 1
    end
  end
end

local checksum, flips
for _ = 1, 4 do checksum, flips = fannkuch(n) end
print(string.format("%d\nPfannkuchen(%d) = %d", checksum, n, flips))
