-- _ENV as an upvalue/local: redirecting global access.
local function with_env(env, f) return f(env) end
local result = with_env({x = 5}, function(_ENV) return x * 2 end)
print(result)
do
  local _ENV = {print = print}
  y = 10
  print(y, _ENV.y)
end
print(y)
local function make_module()
  local _ENV = setmetatable({}, {__index = _G})
  function helper() return "helper in env" end
  value = 42
  return _ENV
end
local mod = make_module()
print(mod.helper(), mod.value, rawget(_G, "helper"), rawget(_G, "value"))
local code = "counter = (counter or 0) + 1 return counter"
local env1, env2 = {}, {}
local f1 = load(code, "c", "t", env1)
local f2 = load(code, "c", "t", env2)
f1() f1() f2()
print(env1.counter, env2.counter, counter)
local function get_env() return _ENV end
print(get_env() == _G)
local readonly = setmetatable({}, {__index = _G, __newindex = function(_, k) error("cannot set global " .. k, 2) end})
local guarded = load("x_global = 1", "=guarded", "t", readonly)
print(pcall(guarded))
print(pcall(load("return undefined_name.x", "=env_err", "t", {})))
