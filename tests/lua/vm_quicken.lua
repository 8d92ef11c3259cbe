-- The interpreter's quickening (runtime/vm.c): instructions specialize
-- after a warm-up and must keep meaning exactly what the generic ones do
-- when the types, tables, metatables, globals or methods they saw change.
-- Every site below runs long enough to specialize first, then changes.

local function show(label, ...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(label, table.concat(t, " "))
end

-- arithmetic: integers, then floats, strings, metamethods, overflow
local function add(a, b) return a + b end
local function sub(a, b) return a - b end
local function mul(a, b) return a * b end
local function div(a, b) return a / b end
local function addk(a) return a + 3 end
local function subk(a) return a - 2.5 end
local function mulk(a) return a * 7 end
for round = 1, 3 do
  local s = 0
  for i = 1, 100 do s = add(s, i) + sub(i, 1) + mul(i, 2) + addk(i) + mulk(i) end
  show("int", round, s, math.type(s))
  local f = 0.0
  for i = 1, 100 do f = add(f, i + 0.5) + sub(i * 1.0, 0.25) + mul(1.5, i + 0.0) + div(i + 0.0, 4.0) + subk(i + 0.0) end
  show("float", round, f, math.type(f))
end
show("mixed", add(1, 2.5), sub(10, 0.5), mul(3, 0.5), div(7, 2), addk(1.5), mulk(0.5), subk(3))
show("strings", add("10", 5), sub("3", "1"), mul("2", "0x10"), addk("4"), mulk("1.5"))
show("overflow", add(math.maxinteger, 1) == math.mininteger, mul(math.mininteger, -1),
  sub(math.mininteger, 1) == math.maxinteger, addk(math.maxinteger) == math.mininteger + 2)
show("float edge", add(-0.0, -0.0), 1 / add(-0.0, -0.0), div(1.0, 0.0), div(-1.0, 0.0),
  div(0.0, 0.0) ~= div(0.0, 0.0))
local V = setmetatable({}, {
  __add = function(a, b) return "add" end, __sub = function(a, b) return "sub" end,
  __mul = function(a, b) return "mul" end, __div = function(a, b) return "div" end,
})
show("meta", add(V, 1), add(1, V), sub(V, 2), mul(3, V), div(V, V), addk(V), mulk(V), subk(V))
for i = 1, 50 do add(i, i) end
show("back to int", add(20, 22), math.type(add(20, 22)))
for _, args in ipairs({{1, nil}, {{}, 1}, {"x", 1}}) do
  show("err", pcall(add, args[1], args[2]))
end
show("err", pcall(mulk, nil))
show("err", pcall(subk, {}))

-- comparisons
local function lt(a, b) if a < b then return 1 else return 0 end end
local function le(a, b) if a <= b then return 1 else return 0 end end
local n = 0
for i = 1, 100 do n = n + lt(i, 50) + le(i, 50) end
show("int cmp", n)
n = 0
for i = 1, 100 do n = n + lt(i + 0.5, 50.0) + le(i * 1.0, 50.0) end
show("float cmp", n)
show("mixed cmp", lt(1, 1.5), le(2.0, 2), lt(math.maxinteger, 2^63), le(2^53, 2^53 + 1),
  lt(-0.0, 0.0), le(-0.0, 0.0), lt(0/0, 1), le(0/0, 0/0))
show("string cmp", lt("a", "b"), le("b", "a"), lt("", "a"), le("abc", "abc"))
local C = setmetatable({}, {__lt = function() return true end, __le = function() return false end})
show("meta cmp", lt(C, C), le(C, C), lt(1, C), le(C, 2))
show("err", pcall(lt, 1, "1"))
show("err", pcall(le, {}, {}))

-- fields: rehash, removal, __index / __newindex after the warm-up
local function get(t) return t.x end
local function set(t, v) t.x = v end
local T = {x = 1, y = 2}
for i = 1, 50 do set(T, get(T) + 1) end
show("field", get(T))
for i = 1, 300 do T["k" .. i] = i end
show("after rehash", get(T), T.k300)
set(T, 123)
show("after rehash set", get(T), rawget(T, "x"))
T.x = nil
show("removed", get(T))
setmetatable(T, {
  __index = function(t, k) return "index:" .. k end,
  __newindex = function(t, k, v) rawset(t, "log", k .. "=" .. tostring(v)) end,
})
show("removed + __index", get(T))
set(T, 5)
show("removed + __newindex", rawget(T, "x"), T.log)
T.x = nil
rawset(T, "x", 9)
show("present again", get(T))
local shapes = {}
for i = 1, 40 do
  local t = {}
  for j = 1, i % 9 do t["f" .. j] = j end
  t.x = i
  shapes[#shapes + 1] = get(t)
  if i % 10 == 0 then collectgarbage() end
end
show("shapes", table.concat(shapes, ","))
show("err", pcall(get, nil))
show("err", pcall(get, 42))
show("string field", get("abc"))
local ok, msg = pcall(function() local a = {b = {c = 1}}; for i = 1, 10 do local _ = a.b.c end; a.b = nil; return a.b.c end)
show("err", ok, msg)

-- fields read through a class (__index table), which then changes
local Cls = {}; Cls.__index = Cls; Cls.k = "class"
local function getk(o) return o.k end
local inst = setmetatable({}, Cls)
for i = 1, 50 do getk(inst) end
show("class field", getk(inst))
Cls.k = "class2"
show("class field changed", getk(inst))
inst.k = "own"
show("own field", getk(inst))
inst.k = nil
Cls.k = nil
show("nowhere", getk(inst))
local Par = {k = "parent"}
setmetatable(Cls, {__index = Par})
show("parent added", getk(inst))
local m2 = {}
setmetatable(Cls, m2)
show("parent gone", getk(inst))
m2.__index = function(t, k) return "fn " .. k end
show("__index added later", getk(inst))
Cls.__index = {k = "other table"}
show("__index replaced", getk(inst))
setmetatable(inst, nil)
show("no metatable", getk(inst))
for i = 1, 40 do getk(setmetatable({k = i}, Cls)) end
show("mixed", getk(setmetatable({}, Cls)), getk({k = 1}))

-- globals: replaced, removed, _ENV with a metatable
G1 = 1
local function getg() return G1 end
local function setg(v) G1 = v end
for i = 1, 50 do setg(getg() + 1) end
show("global", getg())
G1 = "replaced"
show("global replaced", getg())
setg("set")
show("global set", G1)
G1 = nil
setmetatable(_G, {__index = function(_, k) return "env:" .. k end})
show("global removed", getg())
setmetatable(_G, nil)
show("global gone", getg())
for i = 1, 300 do _G["filler" .. i] = i end
G1 = "after rehash"
show("global rehash", getg())
for i = 1, 300 do _G["filler" .. i] = nil end
local function callf() return globalfn(2) end
globalfn = function(x) return x * 10 end
for i = 1, 20 do callf() end
show("function", callf())
globalfn = function(x) return x + 1 end
show("function replaced", callf())
globalfn = setmetatable({}, {__call = function(self, x) return "called " .. x end})
show("callable", callf())
globalfn = nil
show("err", pcall(callf))

-- methods: metatable changes, redefinition, shadowing, inheritance
local A = {}; A.__index = A
function A:who() return "A" end
local B = {}; B.__index = B
function B:who() return "B" end
local Sub = setmetatable({}, {__index = A}); Sub.__index = Sub
local function who(o) return o:who() end
local o = setmetatable({}, A)
for i = 1, 50 do who(o) end
show("method", who(o))
setmetatable(o, B)
show("metatable replaced", who(o))
function B:who() return "B2" end
show("method redefined", who(o))
o.who = function() return "own" end
show("shadowed", who(o))
o.who = nil
show("unshadowed", who(o))
B.__index = function(t, k) return function() return "fn index " .. k end end
show("__index function", who(o))
B.__index = B
for i = 1, 200 do B["m" .. i] = function() return i end end
show("class rehash", who(o))
setmetatable(o, Sub)
show("inherited", who(o))
function Sub:who() return "Sub" end
show("override", who(o))
for i = 1, 50 do who(o) end
function A:who() return "A2" end
show("parent redefined", who(o))
Sub.who = nil
show("override removed", who(o))
setmetatable(Sub, {__index = B})
show("parent replaced", who(o))
o.who = function() return "own again" end
show("shadowed", who(o))
o.who = nil
setmetatable(o, nil)
show("err", pcall(who, o))
local objs = {setmetatable({}, A), setmetatable({}, B), setmetatable({who = function() return "self" end}, A)}
local seq = {}
for i = 1, 60 do seq[#seq + 1] = who(objs[i % 3 + 1]) end
show("polymorphic", table.concat(seq, "", 1, 9), #seq)
local function up(s) return s:upper() end
for i = 1, 50 do up("x") end
show("string method", up("abc"))
local saved = string.upper
string.upper = function(s) return "redefined " .. s end
show("string method redefined", up("abc"))
string.upper = saved
show("string method restored", up("abc"))
show("err", pcall(up, 1))
show("err", pcall(function() local s = "x"; for i = 1, 10 do s:len() end; return s:nomethod() end))

-- coroutines yielding from the generic path of quickened instructions
local yt = setmetatable({}, {
  __index = function(t, k) return coroutine.yield("index " .. k) end,
  __add = function(a, b) return coroutine.yield("add") end,
  __lt = function(a, b) return coroutine.yield("lt") end,
})
local co = coroutine.wrap(function()
  local r = {}
  r[1] = get(yt)
  r[2] = add(yt, 1)
  r[3] = lt(yt, yt)
  r[4] = who(setmetatable({}, {__index = yt}))
  return table.concat(r, ",")
end)
show("co", co())
show("co", co(10))
show("co", co(20))
show("co", co(true))
show("co", co(function() return "yielded method" end))

-- debug: line hook inside a loop of quickened instructions, tracebacks
local function loop(t)
  local s = 0
  for i = 1, 20 do
    s = s + t.x
  end
  return s
end
for i = 1, 5 do loop({x = 1}) end
local lines = {}
debug.sethook(function(ev, line) lines[line] = (lines[line] or 0) + 1 end, "l")
local r = loop({x = 2})
debug.sethook()
local ls = {}
for line, c in pairs(lines) do ls[#ls + 1] = line .. ":" .. c end
table.sort(ls)
show("hook", r, table.concat(ls, " "))
local function deep(t) return t.a.b end
for i = 1, 10 do deep({a = {b = 1}}) end
local ok2, tb = xpcall(deep, debug.traceback, {})
show("traceback", ok2, (tb:gsub("\n.*", "")))

-- string.dump of quickened code writes generic code
local function work(t, k)
  local s = 0
  for i = 1, k do s = s + t.v * i - i end
  return s .. ("x"):rep(2)
end
local before = string.dump(work)
for i = 1, 10 do work({v = 2}, 10) end
show("dump", string.dump(work) == before, load(string.dump(work))({v = 3}, 4))
