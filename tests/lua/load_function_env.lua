-- load with function chunks (pieces) and the env argument.
local pieces = {"return ", "10 ", "* ", "4", nil}
local i = 0
local f = load(function() i = i + 1 return pieces[i] end)
print(f())
local calls = 0
local g = load(function() calls = calls + 1 if calls == 1 then return "return 'whole'" end return nil end)
print(g(), calls)
local h = load(function() return "" end)
print(type(h), h and h())
local chars = {}
for c in ("return 'char by char'"):gmatch(".") do chars[#chars + 1] = c end
local k = 0
print(load(function() k = k + 1 return chars[k] end)())
local r1, r2 = load(function() error("reader failed") end)
print(r1, type(r2), (string.find(r2, "reader failed", 1, true)) ~= nil)
local r3, r4 = load(function() return {} end)
print(r3, (string.find(r4, "reader function must return a string", 1, true)) ~= nil)
-- env argument
local env = {y = 5}
local fe = load("x = 1 return y", "envchunk", "t", env)
print(fe(), env.x, x)
local sandbox = load("return print", "sb", "t", {})
print(sandbox())
local with_math = load("return math.sqrt(16)", "m", "t", {math = math})
print(with_math())
print(pcall(load("return undefined.field", "=env", "t", {})))
local e2 = setmetatable({}, {__index = _G})
load("newglobal = 'in env'", "x", "t", e2)()
print(e2.newglobal, newglobal)
-- _ENV as a local
local function sandboxed()
  local _ENV = {print = print, tostring = tostring}
  z = 3
  print(z, tostring(_ENV.z))
end
sandboxed()
print(z)
local envf = load("local a = ... ; return a + (b or 0)", "c", "t", {b = 100})
print(envf(1))
print(load("return ...", "va", "t", nil)(1, 2))
