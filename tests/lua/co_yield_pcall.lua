-- Yields across pcall and xpcall inside coroutines, and errors caught
-- after such a yield (the pcall's frame finishes the call on resume).
local function gen(f, ...)
  local co = coroutine.create(f)
  local out = {}
  local args = table.pack(...)
  while true do
    local r = table.pack(coroutine.resume(co, table.unpack(args, 1, args.n)))
    out[#out + 1] = tostring(r[1]) .. ":" .. table.concat((function()
      local t = {}
      for i = 2, r.n do t[#t + 1] = tostring(r[i]) end
      return t
    end)(), ",")
    if coroutine.status(co) == "dead" then break end
    args = table.pack(#out * 10)
  end
  return table.concat(out, " | ")
end

-- yield inside pcall, normal return
print(gen(function(a)
  local ok, x, y = pcall(function(v) local r = coroutine.yield(v + 1) return r, r * 2 end, a)
  return ok, x, y
end, 5))

-- error after a yield inside pcall
print(gen(function()
  local ok, e = pcall(function() coroutine.yield("before") error("boom") end)
  coroutine.yield(ok, e)
  return "after"
end))

-- error object that is a table, after a yield
print(gen(function()
  local ok, e = pcall(function() coroutine.yield(1) error({code = 42}) end)
  return ok, type(e), e.code
end))

-- xpcall: the handler runs after the yield, sees the message
print(gen(function()
  local ok, e = xpcall(function() coroutine.yield("x1") local t = nil return t.field end,
                       function(m) return "handled: " .. m end)
  return ok, e
end))

-- xpcall returning values after a yield
print(gen(function()
  return xpcall(function(a, b) local c = coroutine.yield(a + b) return a, b, c end, print, 3, 4)
end))

-- nested pcalls, inner catches, outer continues
print(gen(function()
  local r = {}
  local ok1, v1 = pcall(function()
    local ok2, v2 = pcall(function()
      coroutine.yield("inner")
      error("inner error", 0)
    end)
    r[#r + 1] = tostring(ok2) .. "/" .. v2
    coroutine.yield("middle")
    error("outer error", 0)
  end)
  r[#r + 1] = tostring(ok1) .. "/" .. v1
  return table.concat(r, ";")
end))

-- pcall inside a loop with many yields
print(gen(function()
  local sum = 0
  for i = 1, 5 do
    local ok, v = pcall(function() return coroutine.yield(i) end)
    sum = sum + (ok and v or 0)
  end
  return sum
end))

-- error not caught by anyone: the coroutine dies, message has position
local co = coroutine.create(function()
  pcall(coroutine.yield, "in pcall'd yield")
  coroutine.yield("outside pcall now")
  error("uncaught")
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "r1"))
print(coroutine.resume(co))
print(coroutine.status(co), coroutine.resume(co))

-- pcall(coroutine.yield) directly
print(gen(function() return pcall(coroutine.yield, "direct") end))

-- error inside a message handler after a yield
print(gen(function()
  return xpcall(function() coroutine.yield("h") error("e1") end, function() error("e2") end)
end))

-- after an error caught in a yieldable pcall, the coroutine can still yield
print(gen(function()
  local ok = pcall(error, "x")
  local v = coroutine.yield(ok)
  local ok2, e2 = pcall(function() local a = {} return a.b.c end)
  coroutine.yield(ok2, e2)
  return v
end))

-- stack overflow inside a coroutine's pcall is caught
print(gen(function()
  local function rec(n) return rec(n + 1) + 1 end
  local ok, e = pcall(rec, 1)
  coroutine.yield(ok, (string.gsub(e, "^.-:%d+: ", "")))
  return "still alive"
end))

-- wrap: error with position through a yielded pcall
local w = coroutine.wrap(function()
  pcall(coroutine.yield, 1)
  error("wrapped failure")
end)
print(w())
print(pcall(w))

-- to-be-closed variables closed when the yielded pcall fails
print(gen(function()
  local log = {}
  local ok, e = pcall(function()
    local x <close> = setmetatable({}, {__close = function(_, err) log[#log + 1] = "closed:" .. tostring(err) end})
    coroutine.yield("tbc")
    error("tbc error", 0)
  end)
  return ok, e, table.concat(log)
end))
