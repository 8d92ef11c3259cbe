-- __close ordering and errors, __pairs.
local order = {}
local function closer(name)
  return setmetatable({}, {__close = function(_, err) order[#order + 1] = name .. (err and ("!" .. tostring(err)) or "") end})
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  do
    local c <close> = closer("c")
  end
  order[#order + 1] = "end"
end
print(table.concat(order, " "))
order = {}
print(pcall(function()
  local a <close> = closer("a")
  local b <close> = setmetatable({}, {__close = function() error("in close", 0) end})
  error("body", 0)
end))
print(table.concat(order, " "))
order = {}
local function gen()
  local x <close> = closer("gen")
  return "r1", "r2"
end
print(gen())
print(table.concat(order, " "))
-- __pairs
local P = setmetatable({}, {__pairs = function(t)
  local i = 0
  return function()
    i = i + 1
    if i <= 3 then return i, i * i end
  end, t, nil
end})
for k, v in pairs(P) do io.write(k, "=", v, " ") end
print()
local plain = setmetatable({1, 2}, {__index = function() return 0 end})
local n = 0
for _ in pairs(plain) do n = n + 1 end
print(n)
-- coroutine.close runs pending closes
order = {}
local co = coroutine.create(function()
  local x <close> = closer("co")
  coroutine.yield(1)
end)
coroutine.resume(co)
print(coroutine.close(co), coroutine.status(co), table.concat(order, " "))
