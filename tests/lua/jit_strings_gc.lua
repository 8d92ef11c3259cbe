-- jit_strings_gc.lua: strings made in hot loops (substrings, concatenation,
-- tostring, string.char/rep) under garbage-collector pressure: collection
-- steps inside the loop, an aggressive pause, finalizers that make strings,
-- and values that live only in the trace's registers across the steps.

collectgarbage("setpause", 100)
collectgarbage("setstepmul", 400)

local text = string.rep("The quick brown fox jumps over the lazy dog. ", 20)

-- substrings kept in a table while the collector steps
local keep = {}
local h = 0
for i = 1, 3000 do
  local a = text:sub(i % 200 + 1, i % 200 + 50)  -- long (50 bytes)
  local b = text:sub(i % 300 + 1, i % 300 + 8)   -- short
  if i % 7 == 0 then collectgarbage("step") end
  local c = a .. b .. i
  if i % 100 == 0 then keep[#keep + 1] = c end
  h = (h * 31 + #c + c:byte(-1) + b:byte(1)) % 1000000007
end
print(h, #keep, keep[1], keep[#keep])

-- a full collection every so often, values held only in locals
local acc, last = 0, ""
for i = 1, 2000 do
  local s1 = tostring(i * 12345) .. "-" .. string.char(97 + i % 26)
  local s2 = s1:rep(3)
  if i % 250 == 0 then collectgarbage() end
  local s3 = s2:sub(2, -2)
  acc = acc + #s1 + #s2 + #s3 + (tonumber(s1:sub(1, 4)) or 0)
  last = s3
end
print(acc, last)

-- finalizers that build strings while the loop builds strings
local log = {}
local function mk(i)
  return setmetatable({ i = i }, { __gc = function(o)
    log[#log + 1] = ("f" .. o.i):sub(1, 3)
  end })
end
local total = 0
for i = 1, 3000 do
  if i % 10 == 0 then mk(i) end
  local s = ("k" .. i .. "="):rep(2)
  if i % 50 == 0 then collectgarbage("step") end
  total = total + #s
end
collectgarbage()
collectgarbage()
print(total, #log > 0)

-- strings as keys of a weak-valued table survive while referenced
local weak = setmetatable({}, { __mode = "v" })
local strong = {}
for i = 1, 1500 do
  local k = "key" .. (i % 300)
  local v = { k .. "!" }
  weak[k] = v
  if i % 3 == 0 then strong[#strong + 1] = v end
  if i % 100 == 0 then collectgarbage("step") end
end
collectgarbage()
local alive = 0
for _, v in pairs(weak) do
  if v[1]:sub(-1) == "!" then alive = alive + 1 end
end
print(alive <= 300, #strong)
