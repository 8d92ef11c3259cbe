print(xpcall(function() local z = nil; return z + 1 end, debug.traceback))
print(type(select(2, xpcall(function() error({}) end, debug.traceback))))
print(select(2, xpcall(string.rep, debug.traceback)))
local function handler(m) return debug.traceback("H: " .. m, 1) end
print(xpcall(function() error("boom") end, handler))
xpcall(function() error("again") end, function(m) error("handler fails") end)
local ok, e = xpcall(function() error("x") end, function(m) return m:upper() .. nil end)
print(ok, e)
string.gsub("abc", "%w", function(c) if c == "c" then io.write(nil) end end)
