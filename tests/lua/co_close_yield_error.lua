-- __close handlers that yield while a pcall inside a coroutine unwinds an
-- error: each handler gets the error, may yield, may replace the error,
-- and the pcall returns the last error once every variable is closed.
local function closer(name, f)
  return setmetatable({}, {__close = function(_, err) return f(name, err) end})
end

local function body(mode)
  local log = {}
  local function handler(name, err)
    log[#log + 1] = name .. ":" .. tostring(err)
    local got = coroutine.yield(name)
    log[#log + 1] = name .. " resumed with " .. tostring(got)
    if mode == "replace" and name == "b" then error("replaced by b", 0) end
  end
  local function f()
    local a <close> = closer("a", handler)
    local b <close> = closer("b", handler)
    local c <close> = closer("c", handler)
    if mode ~= "none" then error("original", 0) end
    return "result"
  end
  local ok, res = pcall(f)
  return ok, res, table.concat(log, ", ")
end

for _, mode in ipairs({"none", "error", "replace"}) do
  local co = coroutine.wrap(body)
  local r = {co(mode)}
  local step = 1
  while r[1] == "a" or r[1] == "b" or r[1] == "c" do
    print(mode, "yielded", r[1])
    r = {co(step)}
    step = step + 1
  end
  print(mode, table.unpack(r))
end

-- an error in the coroutine outside any pcall still closes with yields
local co = coroutine.create(function()
  local x <close> = closer("x", function(name, err)
    coroutine.yield(name .. " sees " .. tostring(err))
  end)
  error("no pcall", 0)
end)
print(coroutine.resume(co))
print(coroutine.status(co))
-- nested pcalls: the inner one closes its own variables with the error
co = coroutine.wrap(function()
  local ok, e = pcall(function()
    local outer <close> = closer("outer", function(name, err)
      coroutine.yield(name .. " " .. tostring(err))
    end)
    local ok2, e2 = pcall(function()
      local inner <close> = closer("inner", function(name, err)
        coroutine.yield(name .. " " .. tostring(err))
      end)
      error("deep", 0)
    end)
    coroutine.yield("inner pcall: " .. tostring(ok2) .. " " .. tostring(e2))
    error("shallow", 0)
  end)
  return "outer pcall: " .. tostring(ok) .. " " .. tostring(e)
end)
for _ = 1, 4 do print(co()) end
