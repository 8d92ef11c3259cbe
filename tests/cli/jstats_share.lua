-- -jstats' share line (tests/cli/cli_tests.cmake): one hot integer for
-- loop, almost all of it run in its trace.
local s = 0
for i = 1, 200000 do
  s = s + i % 7
end
print(s)
