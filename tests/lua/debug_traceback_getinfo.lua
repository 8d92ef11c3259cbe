print(select(2, xpcall(function() local x = nil; return x.y end, debug.traceback)))
print(debug.traceback("msg"))
print(debug.traceback("msg", 2))
print(type(debug.traceback({})))
print(debug.traceback(nil))
print(debug.traceback(12))
print(debug.traceback())
local co = coroutine.create(function(a) local b = a coroutine.yield(b) error("x") end)
coroutine.resume(co, 5)
print(debug.traceback(co))
print(debug.traceback(co, "hi"))
print(debug.traceback(co, "hi", 1))
print(debug.getlocal(co, 1, 1))
print(debug.getinfo(co, 1, "Sl").currentline)
local function f(a, b, ...)
  local c = a + b
  for i = 1, 10 do
    local n, v = debug.getlocal(1, i)
    if not n then break end
    print(i, n, v)
  end
  print(debug.getlocal(1, -1), debug.getlocal(1, -2), debug.getlocal(1, -3))
  print(debug.setlocal(1, 1, 100), a)
  print(debug.setlocal(1, -1, "va"), ...)
  return c
end
f(1, 2, "x", "y")
print(debug.getlocal(f, 1), debug.getlocal(f, 2), debug.getlocal(f, 3))
print(pcall(debug.getlocal, 100, 1))
local t = debug.getinfo(1)
print(t.currentline, t.short_src, t.source, t.what, t.linedefined, t.lastlinedefined, t.nups, t.nparams, t.isvararg, t.name, t.namewhat, t.istailcall, t.func ~= nil, t.activelines, t.ftransfer, t.ntransfer)
local function g() return debug.getinfo(1, "nSlu") end
local i = g()
print(i.name, i.namewhat, i.what, i.linedefined, i.lastlinedefined, i.currentline, i.nups, i.nparams, i.isvararg)
i = debug.getinfo(print)
print(i.what, i.short_src, i.source, i.currentline, i.linedefined, i.nparams, i.isvararg, i.nups)
print(pcall(debug.getinfo, 1, "X"))
print(pcall(debug.getinfo, 1, ">S"))
print(pcall(debug.getinfo, {}))
print(debug.getinfo(100))
local lines = debug.getinfo(f, "L").activelines
local ks = {} for k in pairs(lines) do ks[#ks+1] = k end table.sort(ks) print(table.concat(ks, " "))
print(debug.getinfo(0, "n").name, debug.getinfo(0, "S").what)
