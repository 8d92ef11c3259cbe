-- Error messages name a variable whose key constant is loaded by LOADKX
-- (a function with more constants than LOADK reaches).
local function build(n, tail)
  local items = {}
  for i = 1, n do items[i] = i + 0.5 end
  return "local y = {0, " .. table.concat(items, ", ") .. "}\n" .. tail
end
local env = setmetatable({}, {__index = function() end, __newindex = function() end})
local src = build(65600, "") .. "\nX = y\nlocal v = X[1]\nreturn 0"
local f = assert(load(src, "=big", "t", env))
print(pcall(f))
f = assert(load(build(65600, "") .. "\nlocal t = {}\nt.method_name()", "=big", "t", env))
print(pcall(f))
f = assert(load(build(65600, "") .. "\nlocal t = {}\nreturn t.fld.sub", "=big", "t", env))
print(pcall(f))
