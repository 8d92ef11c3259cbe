-- Local variables, scoping, <const> and <close> attributes.
local x = 1
do local x = 2 print(x) end
print(x)
local a, b, c = 1, 2
print(a, b, c)
local d, e = (function() return 1, 2, 3 end)()
print(d, e)
local k <const> = 10
local s <const> = "str"
print(k * 2, s .. "!")
local log = {}
do
  local h1 <close> = setmetatable({}, {__close = function(_, err) log[#log + 1] = "h1:" .. tostring(err) end})
  local h2 <close> = setmetatable({}, {__close = function(_, err) log[#log + 1] = "h2:" .. tostring(err) end})
  local none <close> = nil
  local f <close> = false
  log[#log + 1] = "body"
end
print(table.concat(log, " "))
log = {}
local ok, err = pcall(function()
  local h <close> = setmetatable({}, {__close = function(_, e) log[#log + 1] = "closed with " .. tostring(e) end})
  error("boom", 0)
end)
print(ok, err, log[1])
log = {}
local function early()
  local h <close> = setmetatable({}, {__close = function() log[#log + 1] = "closed" end})
  if true then return "returned" end
end
print(early(), log[1])
log = {}
for i = 1, 3 do
  local h <close> = setmetatable({}, {__close = function() log[#log + 1] = "c" .. i end})
  if i == 2 then break end
end
print(table.concat(log, ","))
print(pcall(function() local bad <close> = {} end))
print(pcall(function() local bad <close> = 42 end))
-- shadowing within the same block
local y = 1
local y = y + 1
print(y)
-- locals captured by loops are fresh
local fs = {}
for i = 1, 3 do local j = i * 10 fs[i] = function() return j end end
print(fs[1](), fs[2](), fs[3]())
