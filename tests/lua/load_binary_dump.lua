-- string.dump and binary chunks: round trips, strip, upvalues, nesting, modes
local function mk(a)
  local up = a
  local function inner(x, ...)
    up = up + x
    local t = {...}
    return up, #t, (function() return up * 2 end)()
  end
  return inner
end
local s = string.dump(mk)
print(type(s), s:sub(1, 4) == "\27Lua", #s > 20)
local mk2 = load(s, "dumped", "b")
local f = mk2(10)
print(f(1, "a", "b"))
print(f(2))
-- upvalues of a loaded function are fresh (the first one gets _ENV's table)
local counter = 0
local function inc() counter = counter + 1 return counter end
local inc2 = load(string.dump(inc))
print((debug.getupvalue(inc2, 1)), type(select(2, debug.getupvalue(inc2, 1))))
debug.setupvalue(inc2, 1, 41)
print(inc2(), inc2(), counter)
-- strip drops names and lines but keeps behaviour
local function named(p, q) local r = p * q return r end
local st = load(string.dump(named, true))
print(st(6, 7), debug.getlocal(st, 1), debug.getinfo(st, "S").source)
print(debug.getinfo(load(string.dump(named)), "S").short_src)
local lines = debug.getinfo(load(string.dump(named)), "L").activelines
local n = 0 for _ in pairs(lines) do n = n + 1 end print(n)
print(next(debug.getinfo(st, "L").activelines))
-- errors in stripped and unstripped functions
local function bad() local x = nil return x.y end
print(pcall(load(string.dump(bad))))
print(pcall(load(string.dump(bad, true))))
-- all constant kinds
local function consts()
  return nil, true, false, 1, -2, 3.5, -0.0, 1/0, 2^63, math.mininteger, "short",
    "a long string constant that is longer than forty bytes, surely", ""
end
print(load(string.dump(consts))())
-- a chunk with loops, closures, varargs and tables, dumped twice
local src = [[
local acc = {}
for i = 1, 5 do acc[#acc + 1] = function() return i * i end end
local sum = 0
for _, g in ipairs(acc) do sum = sum + g() end
local function va(...) return select('#', ...), ... end
return sum, va(1, nil, 3)
]]
local chunk = load(src, "=src")
local again = load(string.dump(load(string.dump(chunk))))
print(again())
print(string.dump(chunk) == string.dump(load(string.dump(chunk))))
-- modes
print(load(s, "x", "t"))
print(load("return 1", "x", "b"))
print(load(s, "x", "bt") ~= nil, load("return 2", "x", "bt")())
print(load(function() return nil end, "empty", "b"))
-- malformed chunks: errors, never a crash
print(load(s:sub(1, 4)))
print(load(s:sub(1, #s // 2)))
print(load(s:sub(1, #s - 1)))
print(load("\27Lua"))
print(load("\27Lux"))
local bytes = {s:byte(1, -1)}
local broken = 0
for i = 5, #bytes do
  local b = {table.unpack(bytes)}
  b[i] = (b[i] + 0x5b) % 256
  local ok, fn = pcall(load, string.char(table.unpack(b)))
  if ok and fn == nil then broken = broken + 1 end
end
print(broken > 0)
print(pcall(string.dump, print))
print(pcall(string.dump))
-- loadfile and dofile of a binary chunk
local name = os.tmpname()
local fh = assert(io.open(name, "wb"))
fh:write(string.dump(load("return 'from file', ...")))
fh:close()
print(loadfile(name, "b")(1, 2))
print(loadfile(name, "t"))
print(dofile(name))
os.remove(name)
