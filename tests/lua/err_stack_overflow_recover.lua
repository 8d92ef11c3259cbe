-- Stack overflow inside pcall is recoverable; the VM keeps working afterwards.
local depth = 0
local function down(n) depth = depth + 1 return down(n + 1) + 1 end
local ok0, e0 = pcall(down, 0)
print(ok0, (e0:gsub("^.-:%d+: ", "")), depth > 100000)
local function ok_deep(n) if n == 0 then return 0 end return 1 + ok_deep(n - 1) end
print(ok_deep(10000))
local mt = {}
mt.__index = function(t, k) return t[k .. "x"] end
local looped = setmetatable({}, mt)
local ok, e = pcall(function() return looped.a end)
print(ok, (string.find(e, "stack overflow", 1, true)) ~= nil)
local co = coroutine.create(function() return down(0) end)
local cok, ce = coroutine.resume(co)
print(cok, (ce:gsub("^.-:%d+: ", "")), coroutine.status(co))
print(select(2, pcall(string.rep, "x", -1)) == "")
