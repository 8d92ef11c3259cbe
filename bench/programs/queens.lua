-- queens.lua: counts all solutions of the n-queens problem by backtracking with
-- boolean column and diagonal tables.
-- bench-group: tables
-- bench-quick: 6
-- usage: queens.lua [n]   (default 12)

local n = tonumber(arg and arg[1]) or 12

local function solve(m)
  local cols, d1, d2 = {}, {}, {}
  for i = 1, 2 * m do cols[i], d1[i], d2[i] = false, false, false end
  local count = 0
  local function place(row)
    if row > m then
      count = count + 1
      return
    end
    for c = 1, m do
      local a, b = row + c, row - c + m
      if not cols[c] and not d1[a] and not d2[b] then
        cols[c], d1[a], d2[b] = true, true, true
        place(row + 1)
        cols[c], d1[a], d2[b] = false, false, false
      end
    end
  end
  place(1)
  return count
end

-- three passes over all board sizes; the counts are printed once
local counts = {}
for _ = 1, 3 do
  for m = 4, n do counts[m] = solve(m) end
end
for m = 4, n do
  print(string.format("%d queens: %d solutions", m, counts[m]))
end
