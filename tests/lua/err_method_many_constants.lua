-- Error messages name a method as "method 'x'" also in a function with
-- more than 256 constants (the method name then comes from a register).
local function run(src)
  local f = assert(load(src, "=chunk"))
  local ok, msg = pcall(f)
  print(ok, msg)
end
local t = {}
for i = 1, 400 do t[i] = "a = x" .. i end
local many = table.concat(t, "; ")
local wrapped = "do " .. many .. " end; "
run(wrapped .. "local obj = {}; obj:bbb()")
run(wrapped .. "local obj = {}; obj:bbb(1, 2)")
run(wrapped .. "local obj = {}; return obj.ccc()")
run(wrapped .. "local obj = {}; local x = obj.ddd + 1")
run(wrapped .. "local obj = {}; obj.e:fff()")
run(wrapped .. "local obj = setmetatable({}, {__index = function() return 1 end}); obj:ggg()")
run("local obj = {}; obj:hhh()")
-- a key local indexing an object made in a temporary stays a field
run(wrapped .. "local k = 'iii'; k = ({})[k]; k()")
run(wrapped .. "local k = 'jjj'; local v = ({})[k]; v()")
