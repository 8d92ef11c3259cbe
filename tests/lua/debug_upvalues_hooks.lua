local a, b = 1, 2
local function f() return a + b end
local function g() return b end
print(debug.getupvalue(f, 1), debug.getupvalue(f, 2), debug.getupvalue(f, 3))
print(debug.setupvalue(f, 1, 10), f())
print(debug.upvalueid(f, 2) == debug.upvalueid(g, 1), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
print(pcall(debug.upvalueid, f, 3))
debug.upvaluejoin(f, 1, g, 1)
print(f(), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
print(pcall(debug.upvaluejoin, f, 1, print, 1))
print(pcall(debug.upvaluejoin, f, 5, g, 1))
print(debug.getupvalue(print, 1))
print(debug.getupvalue(string.gmatch("a", "a"), 1))
local t = setmetatable({}, {__index = {x = 1}})
print(debug.getmetatable(t).__index.x, debug.getmetatable(1), debug.getmetatable("").__index == string)
print(debug.setmetatable(10, {__index = {z = 5}}) , (10).z)
debug.setmetatable(10, nil)
print(pcall(debug.setmetatable, 1, 2))
print(type(debug.getregistry()))
print(debug.getuservalue(1), debug.getuservalue(io.stdout))
print(pcall(debug.setuservalue, 1, 2))
print(debug.gethook())
local lines = {}
local function hook(ev, line) lines[#lines+1] = ev .. ":" .. tostring(line) end
local function work(n)
  local s = 0
  for i = 1, n do
    s = s + i
  end
  return s
end
debug.sethook(hook, "l")
work(3)
debug.sethook()
print(table.concat(lines, " "))
lines = {}
debug.sethook(hook, "cr")
work(2)
local x = math.abs(-1)
debug.sethook()
print(table.concat(lines, " "))
print(debug.gethook())
local cnt = 0
debug.sethook(function(ev) cnt = cnt + 1 end, "", 10)
print(select(2, debug.gethook()), select(3, debug.gethook()))
work(100)
debug.sethook()
print(cnt)
local names = {}
debug.sethook(function(ev)
  local i = debug.getinfo(2, "nS")
  names[#names+1] = ev .. "=" .. tostring(i.name) .. "/" .. i.what
end, "cr")
local function tail(n) if n > 0 then return tail(n - 1) end return 0 end
tail(2)
string.rep("a", 2)
debug.sethook()
print(table.concat(names, " "))
local r = {}
debug.sethook(function(ev)
  local i = debug.getinfo(2, "r")
  r[#r+1] = ev .. ":" .. i.ftransfer .. "," .. i.ntransfer
end, "cr")
local function three(p, q) return p, q, 3 end
three(1, 2)
debug.sethook()
print(table.concat(r, " "))
