-- Edge cases of errors and closing around yields: __close failing while a
-- yielded pcall unwinds, coroutine.close inside a pcall, handlers and levels.
local Y = coroutine.yield
local function closer(name, fail)
  return setmetatable({}, {__close = function(_, e) print("close", name, e) if fail then error(name .. " failed", 0) end end})
end
-- error in __close while a yielded pcall unwinds
local co = coroutine.wrap(function()
  local ok, e = pcall(function()
    local a <close> = closer("a", true)
    local b <close> = closer("b")
    Y("y1")
    error("orig", 0)
  end)
  print("pcall gave", ok, e)
  return "end"
end)
print(co()) print(co())
-- close a coroutine suspended inside pcall with pending tbc
local c2 = coroutine.create(function()
  pcall(function()
    local x <close> = closer("x")
    Y("in")
  end)
end)
print(coroutine.resume(c2))
print(coroutine.close(c2), coroutine.status(c2))
print(coroutine.resume(c2))
-- xpcall handler inside a coroutine that yielded before; handler gets traceback-ish info
local c3 = coroutine.wrap(function()
  return xpcall(function() Y() local x = nil; return x() end, function(m) return "H(" .. m .. ")" end)
end)
c3() print(c3())
-- error thrown with level 2 after yield
local c4 = coroutine.wrap(function()
  local function f() Y() error("lvl2", 2) end
  return pcall(f)
end)
c4() print(c4())
-- wrap error position info
local c5 = coroutine.wrap(function() Y() local t = {} return t.a.b end)
c5() print(pcall(c5))
-- yield in pcall in nested coroutine, outer pcall catches inner wrap error
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function() pcall(Y, "i") error("inner boom") end)
  local r = inner()
  Y(r)
  return pcall(inner)
end)
print(outer()) print(outer())
-- error objects: non-string through wrap
local c6 = coroutine.wrap(function() Y() error(setmetatable({}, {__tostring = function() return "TS" end})) end)
c6() local ok, e = pcall(c6) print(ok, tostring(e))
-- resume passing many values
local c7 = coroutine.create(function(...) local n = select("#", ...) local r = table.pack(Y(n)) return r.n, r[r.n] end)
print(coroutine.resume(c7, table.unpack({}, 1, 200)))
print(coroutine.resume(c7, table.unpack({}, 1, 250)))
-- garbage: abandoned suspended coroutines in pcall are collected
for i = 1, 2000 do local c = coroutine.wrap(function() pcall(Y, i) end) c() end
collectgarbage() collectgarbage()
print("ok")
