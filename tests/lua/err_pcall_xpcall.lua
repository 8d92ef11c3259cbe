-- pcall and xpcall: return values, handlers, nested errors.
print(pcall(function(...) return ... end, 1, 2, 3))
print(pcall(function() end))
print(pcall(print, "inside pcall"))
print(pcall(5))
print(pcall(pcall))
print(xpcall(function() return "ok", 2 end, print))
print(xpcall(function() error("E") end, function(m) return "handled: " .. m end))
print(xpcall(function() error({}) end, function(m) return type(m) end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(xpcall(function() local x = nil; return x.y end, function(m) return (m:gsub("^.-:%d+: ", "")) end))
print(xpcall(error, function(m) return m end, "passed through", 0))
-- the handler's result replaces the error; multiple results
print(xpcall(error, function(m) return 1, 2, 3 end, "x"))
-- an error inside the handler
print(xpcall(error, function(m) error("again") end, "x"))
print(pcall(xpcall))
print(pcall(xpcall, print))
-- pcall returns false for errors in C functions too
print(pcall(string.rep))
print(pcall(setmetatable, 1, 2))
-- status and values
local function thrower(kind)
  if kind == 1 then error("string error")
  elseif kind == 2 then error({msg = "table error"})
  elseif kind == 3 then return "no error"
  end
end
for kind = 1, 3 do
  local ok, v = pcall(thrower, kind)
  print(kind, ok, type(v) == "table" and v.msg or v)
end
local depth = 0
local function nest(n)
  if n == 0 then error("deep", 0) end
  local ok, e = pcall(nest, n - 1)
  depth = depth + 1
  error(e .. n, 0)
end
local okn, en = pcall(nest, 5)
print(okn, en, depth)
print(select('#', pcall(error)))
