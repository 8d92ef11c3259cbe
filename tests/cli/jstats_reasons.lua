-- -jstats' ranked tables (tests/cli/cli_tests.cmake): known causes.
local mt = {__index = function(_, k) return k == "x" and 1 or nil end}
local o = setmetatable({}, mt)

-- A trace with one slow path: o.x calls the __index function (EXEC,
-- "GETFIELD (metatable)") among enough compiled instructions to keep the
-- trace.
local s = 0
for i = 1, 2000 do
  local a = i + 1
  local b = a * 2
  local c = b - i
  s = s + c + o.x
end

-- Mostly slow path: aborted 3 times, then blacklisted ("mostly slow paths
-- (1 of 3 instructions)" -> digits normalized to N).
local t = 0
for _ = 1, 2000 do
  t = t + o.x
end

-- An order comparison of tables (through __lt) is not recorded: aborted
-- 3 times too.
local n = 0
local lt = {__lt = function(a, b) return a.v < b.v end}
local words = {}
for j = 1, 4 do words[j] = setmetatable({v = j * 7 % 5}, lt) end
local m = setmetatable({v = 2}, lt)
for i = 1, 3000 do
  if words[i % 4 + 1] < m then n = n + 1 end
end
print(s, t, n)
