-- Where lua5.4 forbids a yield ("attempt to yield across a C-call
-- boundary", "attempt to yield from outside a coroutine") and where
-- coroutine.isyieldable says so.
local Y = coroutine.yield
local function try(name, f)
  local co = coroutine.create(f)
  local ok, v = coroutine.resume(co)
  print(name, ok, v, coroutine.status(co))
end

try("sort", function() table.sort({3, 1, 2}, function(a, b) Y() return a < b end) end)
try("gsub", function() return (string.gsub("abc", "%w", function(c) Y(c) return c end)) end)
try("tostring", function() return tostring(setmetatable({}, {__tostring = function() Y() return "" end})) end)
try("load reader", function() return load(function() Y() return nil end) end)
try("require", function()
  package.preload.yielder = function() Y("in require") return {} end
  return require("yielder")
end)
try("string.rep meta", function()
  local s = setmetatable({}, {__index = function() Y() end})
  return table.unpack(s, 1, 1)
end)
try("gsub table __index", function()
  return (string.gsub("x", "x", setmetatable({}, {__index = function() Y() return "y" end})))
end)
try("pcall(sort)", function()
  return pcall(table.sort, {1, 2, 3}, function(a, b) Y() return a < b end)
end)
try("xpcall handler", function()
  return xpcall(error, function(m) Y("in handler") return m end, "e")
end)
try("__eq from C", function()
  local mt = {__eq = function() Y() return true end}
  return rawequal(setmetatable({}, mt), setmetatable({}, mt)), table.unpack({})
end)

-- the error is raised in the coroutine, which can catch it
local co = coroutine.wrap(function()
  local ok, e = pcall(table.sort, {2, 1}, function(a, b) Y() return a < b end)
  Y(ok, e)
  return "done"
end)
print(co())
print(co())

-- yield from the main thread
print(pcall(coroutine.yield, 1))
print(select(2, pcall(function() coroutine.yield() end)))

-- isyieldable and running
print(coroutine.isyieldable())
print(coroutine.isyieldable(coroutine.running()))
local fresh = coroutine.create(function() end)
print(coroutine.isyieldable(fresh))
print(coroutine.wrap(function() return coroutine.isyieldable() end)())
print(coroutine.wrap(function()
  local r
  table.sort({1, 2}, function(a, b) r = coroutine.isyieldable() return a < b end)
  return r, coroutine.isyieldable()
end)())
print(coroutine.wrap(function() return select(2, pcall(coroutine.isyieldable)) end)())
local main, ismain = coroutine.running()
print(type(main), ismain)
print(coroutine.wrap(function() local c, m = coroutine.running() return type(c), m end)())

-- status seen from inside and outside, normal while resuming another
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function()
    return coroutine.status(outer), coroutine.status(coroutine.running())
  end)
  return coroutine.resume(inner)
end)
print(coroutine.resume(outer))

-- resuming oneself or a normal coroutine
local selfco
selfco = coroutine.create(function() return coroutine.resume(selfco) end)
print(coroutine.resume(selfco))
local a
a = coroutine.create(function()
  local b = coroutine.create(function() return coroutine.resume(a) end)
  return coroutine.resume(b)
end)
print(coroutine.resume(a))
print(coroutine.resume(coroutine.running()))
