-- Many functions with a hot loop each, made by load() (issue 17): with the
-- JIT on, every loop becomes a trace; the JIT's memory must stay bounded
-- (-Omaxmcode, -Omaxtrace: the trace cache is flushed when full) and never
-- make the program run out of memory where the interpreter alone would not.
-- usage: jit_many_loops.lua [n]   (default 300; the issue's case is 40000)
local n = tonumber(arg and arg[1]) or 300

local fs, total = {}, 0
for i = 1, n do
  local src = ([[
    local k = %d
    return function(m)
      local s, t = 0, 0.5
      for j = 1, m do
        s = s + (j * k) %% 7
        if j %% 3 == 0 then t = t * 0.5 + j else t = t + 1 end
      end
      return s + math.floor(t) %% 5
    end
  ]]):format(i)
  local f = assert(load(src, "=loop" .. i))()
  fs[i] = f -- all stay alive: their traces could too
  total = total + f(120) + f(3)
end
local again = 0
for i = 1, n, 7 do again = again + fs[i](60) end
print(n, total, again)
