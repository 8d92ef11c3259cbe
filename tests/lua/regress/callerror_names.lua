-- A call of a non-function names what the calling instruction was doing
-- (a metamethod, the for iterator) or where the called value lies.
local function try(src)
  local f = assert(load(src, "=src"))
  local ok, msg = pcall(f)
  print(ok, msg)
end
try("for x in nil do end")
try("local a = setmetatable({}, {__add = 34}); a = a + 1")
try("local a = setmetatable({}, {__add = 34}); a = 1 + a")
try("local a = setmetatable({}, {__sub = 34}); a = a - 1")
try("local a = setmetatable({}, {__mul = 'x'}); a = a * 2.5")
try("local a = setmetatable({}, {__lt = {}}); return a < a")
try("local a = setmetatable({}, {__le = {}}); return a >= a")
try("local a = setmetatable({}, {__concat = 1}); return a .. 'x'")
try("local mt = {__eq = 1}; return setmetatable({}, mt) == setmetatable({}, mt)")
try("local a = setmetatable({}, {__len = 1}); return #a")
try("local a = setmetatable({}, {__unm = true}); return -a")
try("local a = setmetatable({}, {__bnot = true}); return ~a")
try("local a = setmetatable({}, {__band = true}); return a & 1")
try("local a = setmetatable({}, {__index = setmetatable({}, {__index = 7})}); return a.x")
try("local a = setmetatable({}, {__close = 1}); do local b <close> = a end")
try("local a = setmetatable({}, {__call = 5}); a()")
try("local a; a()")
try("t = {}; t.x.y()")
try("t = {}; t.f()")
try("t = {}; t:m()")
try("local up; return (function() up() end)()")
try("return select(2, pcall(error))()")
print(pcall(setmetatable({}, {__call = 5})))
-- the same failures inside a hot loop (traces)
local mt = {__add = function(a, b) return 1 end}
local objs = {}
for i = 1, 100 do objs[i] = setmetatable({}, mt) end
local ok, msg = pcall(function()
  local s = 0
  for i = 1, 100 do
    if i == 90 then mt.__add = 3 end
    s = s + (objs[i] + 1)
  end
  return s
end)
print(ok, (msg:gsub("^.-:(%d+):", "line %1:")))
