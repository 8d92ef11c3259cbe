-- A loop whose trace calls the host's slow-path helper (jit_h_exec) for
-- the closure it makes: tests/debug/gdb_backtrace.sh breaks there.
local s, t = 0, {}
for i = 1, 300 do
  s = s + i * 2 - 1
  s = s % 1000003
  t.x = i
  s = s + (i - 1) * 3
  local u = function() return i end
end
print(s, t.x)
