-- To-be-closed variables in coroutines: closing order, errors passed to __close,
-- errors raised by __close, coroutine.close and coroutine.wrap on errors.
local log = {}
local function closer(name, fail)
  return setmetatable({}, {__close = function(_, e) log[#log + 1] = name .. ":" .. (type(e) == "table" and "table" or tostring(e)) if fail then error(name .. " failed", 0) end end})
end
local co = coroutine.create(function()
  local a <close> = closer("a")
  local b <close> = closer("b", true)
  local c <close> = closer("c")
  coroutine.yield("y")
end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(table.concat(log, " "), coroutine.status(co))
log = {}
print(pcall(function()
  local a <close> = closer("a", true)
  local b <close> = closer("b", true)
  return "normal"
end))
print(table.concat(log, " "))
log = {}
local co2 = coroutine.wrap(function()
  local x <close> = closer("x")
  error("body error", 0)
end)
print(pcall(co2))
print(table.concat(log, " "))
log = {}
local function tbc_loop()
  for i = 1, 3 do
    local h <close> = closer("i" .. i)
    if i == 2 then goto continue end
    log[#log + 1] = "body" .. i
    ::continue::
  end
end
tbc_loop()
print(table.concat(log, " "))
log = {}
local ok, err = pcall(function()
  local a <close> = closer("outer")
  do
    local b <close> = closer("inner")
    error({code = 5})
  end
end)
print(ok, type(err), err.code, table.concat(log, " "))
local t = setmetatable({}, {__close = function() coroutine.yield("from close") end})
local co3 = coroutine.wrap(function() do local v <close> = t end return "after" end)
print(co3(), co3())
print(coroutine.close(coroutine.create(function() end)))
local co4 = coroutine.create(function() local v <close> = closer("v4") error("e4") end)
print(coroutine.resume(co4))
print(coroutine.close(co4), table.concat(log, " "))
