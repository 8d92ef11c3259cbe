-- About a second of one hot trace, for tests/debug/perf_names_traces.sh.
local s = 0
for _ = 1, 300 do
  for i = 1, 100000 do
    s = (s + i * 3) % 1000003
  end
end
print(s)
