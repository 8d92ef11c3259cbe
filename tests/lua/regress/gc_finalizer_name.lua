-- debug.getinfo inside a finalizer names it metamethod '__gc', whether the
-- collection ran from collectgarbage() or from an allocation in a loop.
local seen = {}
local function fin()
  local t = debug.getinfo(1, "n")
  seen[#seen + 1] = tostring(t.namewhat) .. " " .. tostring(t.name)
end
setmetatable({}, {__gc = fin})
collectgarbage()
print(#seen, seen[1])
-- from allocation (Lua 5.4 testes/db.lua); bounded so a failure cannot hang
local name, n = nil, 0
setmetatable({}, {__gc = function()
  local t = debug.getinfo(1)
  if t.namewhat == "metamethod" then name = t.name else name = "wrong: " .. tostring(t.namewhat) end
end})
repeat local a = {} n = n + 1 until name or n > 2e7
print(name)
-- a function called by the finalizer is named normally
local inner
setmetatable({}, {__gc = function() local function g() inner = debug.getinfo(1, "n").name end g() end})
collectgarbage()
print(inner)
-- outside finalizers names are unchanged
local function f() return debug.getinfo(1, "n") end
local i = f()
print(i.namewhat, i.name)
