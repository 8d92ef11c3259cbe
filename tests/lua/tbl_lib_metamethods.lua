-- table library functions respect __index/__newindex/__len (Lua 5.4 behaviour).
local log = {}
local backing = {10, 20, 30}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get" .. k return backing[k] end,
  __newindex = function(_, k, v) log[#log + 1] = "set" .. k backing[k] = v end,
  __len = function() return #backing end,
})
print(table.concat(proxy, ","))
print(table.unpack(proxy))
table.insert(proxy, 40)
print(#backing, backing[4])
print(table.remove(proxy), #backing)
log = {}
table.insert(proxy, 1, 5)
print(table.concat(backing, ","), table.concat(log, " "))
local moved = table.move(proxy, 1, 3, 1, {})
print(moved[1], moved[2], moved[3])
local sorted = setmetatable({}, {__index = backing, __newindex = backing, __len = function() return #backing end})
table.sort(sorted, function(a, b) return a > b end)
print(table.concat(backing, ","))
local lenonly = setmetatable({1, 2, 3, 4, 5}, {__len = function() return 2 end})
print(table.concat(lenonly, ","), select('#', table.unpack(lenonly)))
print(#lenonly, rawlen(lenonly))
for i, v in ipairs(proxy) do io.write(i, "=", v, " ") end
print()
