-- Function definition forms: global, local, fields, nested fields, methods.
function globalf(x) return "global " .. x end
local function localf(x) return "local " .. x end
local ns = {sub = {deeper = {}}}
function ns.f(x) return "field " .. x end
function ns.sub.deeper.g(x) return "nested " .. x end
function ns.sub.deeper:m(x) return "method " .. tostring(self == ns.sub.deeper) .. " " .. x end
print(globalf(1), localf(2), ns.f(3), ns.sub.deeper.g(4), ns.sub.deeper:m(5))
local anon = function(...) return select('#', ...) end
print(anon(1, 2), (function(a) return a * 2 end)(21))
local function outer()
  local function inner() return "inner" end
  return inner()
end
print(outer(), inner)
local recursive
recursive = function(n) if n == 0 then return "done" end return recursive(n - 1) end
print(recursive(10))
local t = {
  add = function(a, b) return a + b end,
  ["with space"] = function() return "spaced" end,
}
print(t.add(2, 3), t["with space"]())
function ns.sub.deeper.counter()
  ns.count = (ns.count or 0) + 1
  return ns.count
end
ns.sub.deeper.counter() ns.sub.deeper.counter()
print(ns.count)
print(type(globalf), rawget(_G, "globalf") == globalf, rawget(_G, "localf"))
local function params(a, b, c) return a, b, c end
print(params(1), params(1, 2, 3, 4))
local function defaults(a, b) a = a or "A" b = b or "B" return a .. b end
print(defaults(), defaults("x"), defaults(nil, "y"), defaults(false, false))
