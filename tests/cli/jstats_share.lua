-- -jstats' share line (tests/cli/cli_tests.cmake): nested integer for
-- loops, almost all of them run in traces; the inner loop's trace is
-- entered through a link from the outer loop's side trace each time, and
-- its iterations count all the same.
local t = 0
for i = 1, 400 do
  for j = 1, 400 do
    t = t + (i ~ j) % 5
  end
end
print(t)
