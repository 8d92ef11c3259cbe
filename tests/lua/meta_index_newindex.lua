-- __index and __newindex as tables and as functions; chains.
local base = {greet = "hello", n = 1}
local derived = setmetatable({}, {__index = base})
print(derived.greet, derived.n, derived.missing, rawget(derived, "greet"))
local calls = {}
local fn_index = setmetatable({}, {__index = function(t, k) calls[#calls + 1] = tostring(k) return k .. "!" end})
print(fn_index.a, fn_index.b, fn_index[1])
print(table.concat(calls, ","))
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.x = 10
print(rawget(proxy, "x"), store.x)
local log = {}
local logged = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v) rawset(t, k, v) end})
logged.a = 1
logged.a = 2  -- existing key: no metamethod
logged.b = 3
print(table.concat(log, " "), logged.a, logged.b)
-- chain of three levels
local l1 = {v1 = 1}
local l2 = setmetatable({v2 = 2}, {__index = l1})
local l3 = setmetatable({v3 = 3}, {__index = l2})
print(l3.v1, l3.v2, l3.v3)
-- __index on a function value chain with a newindex chain
local sink = {}
local mid = setmetatable({}, {__newindex = sink})
local top = setmetatable({}, {__newindex = mid})
top.z = "deep"
print(rawget(top, "z"), rawget(mid, "z"), sink.z)
-- defaults
local function with_default(d) return setmetatable({}, {__index = function() return d end}) end
local counts = with_default(0)
for _, w in ipairs({"a", "b", "a", "c", "a"}) do counts[w] = counts[w] + 1 end
print(counts.a, counts.b, counts.c, counts.d)
-- read-only table
local ro = setmetatable({}, {__index = {k = "v"}, __newindex = function(_, k) error("read-only: " .. k, 2) end})
print(ro.k, pcall(function() ro.k2 = 1 end))
-- __index loop detection
local loop = {}
setmetatable(loop, {__index = loop})
print(pcall(function() return loop.anything end))
local a, b = {}, {}
setmetatable(a, {__index = b})
setmetatable(b, {__index = a})
print(pcall(function() return a.x end))
-- numbers/strings via the string metatable
print(("abc").len == string.len, ("abc"):len())
