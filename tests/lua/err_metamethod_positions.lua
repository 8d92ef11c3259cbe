-- Errors raised inside metamethods and library callbacks report the right place.
local mt = {
  __add = function(a, b) error("add failed") end,
  __index = function(t, k) error("no key " .. k, 2) end,
  __call = function(self, x) return x.field end,
}
local obj = setmetatable({}, mt)
print(pcall(function() return obj + 1 end))
print(pcall(function() return obj.missing end))
print(pcall(function() return obj(nil) end))
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp failed") end))
print(pcall(string.gsub, "abc", "%w", function(c) error("repl " .. c) end))
print(pcall(function() for k in pairs(setmetatable({}, {__pairs = function() error("pairs failed") end})) do end end))
local closer = setmetatable({}, {__close = function() error("close failed") end})
print(pcall(function() local c <close> = closer end))
print(pcall(tostring, setmetatable({}, {__tostring = function() error("ts failed") end})))
print(pcall(function() return #setmetatable({}, {__len = function() error("len failed", 0) end}) end))
local okn, en = pcall(function() local t = setmetatable({}, {__newindex = function() error({code = 1}) end}) t.x = 1 end)
print(okn, type(en), en.code)
