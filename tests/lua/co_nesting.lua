-- How deep coroutines nest: each resume counts one C level, as in lua5.4,
-- so "C stack overflow" comes at the same depth; Lua recursion inside a
-- coroutine costs no C stack at all.
local depth = 0
local function f()
  depth = depth + 1
  local ok, err = coroutine.resume(coroutine.create(f))
  if not ok then error(err, 0) end
end
print(coroutine.resume(coroutine.create(f)))
print(depth)

depth = 0
print(pcall(f), depth)

depth = 0
local function g()
  depth = depth + 1
  return coroutine.wrap(g)()
end
local ok, err = pcall(g)
local _, n = string.gsub(err, "co_nesting.lua:%d+: ", "")
print(ok, n, (string.gsub(err, "co_nesting.lua:%d+: ", "")), depth)

-- the same from inside a coroutine and inside pcalls and metamethods
depth = 0
print(coroutine.wrap(function() return pcall(f) end)(), depth)
depth = 0
local mt = {__index = function(t, k) return f() end}
print(pcall(function() return setmetatable({}, mt).x end), depth)

-- after an overflow everything still works at normal depth
depth = 0
local function h(n)
  if n == 0 then return coroutine.yield("bottom") end
  local co = coroutine.wrap(h)
  local v = co(n - 1)
  return v
end
print(coroutine.wrap(h)(150))

-- a chain of 190 nested resumes; the innermost yields through them all
local chain = {}
local function link(i)
  if i == 190 then return coroutine.yield("top") end
  local co = coroutine.create(link)
  chain[i] = co
  local ok, v = coroutine.resume(co, i + 1)
  return v .. "<" .. i
end
local base = coroutine.create(link)
print(coroutine.resume(base, 1))
print(#chain, coroutine.status(chain[1]), coroutine.status(chain[189]))
local ok2, v2 = coroutine.resume(chain[189], "x")
print(ok2, v2)

-- deep Lua recursion inside a coroutine, yielding at the bottom
local deep = coroutine.wrap(function()
  local function rec(n) if n == 0 then return coroutine.yield("at bottom") end return 1 + rec(n - 1) end
  return rec(100000)
end)
print(deep())
print(deep(7))

-- deep recursion inside a coroutine overflows the Lua stack cleanly
local over = coroutine.create(function() local function r() return 1 + r() end return r() end)
local okr, er = coroutine.resume(over)
print(okr, (string.gsub(er, "^.-:%d+: ", "")))

-- the C level count is per resume: a long-lived coroutine resumed from
-- different depths works from each of them
local worker = coroutine.wrap(function() while true do coroutine.yield("w") end end)
local function at(n) if n == 0 then return worker() end return (coroutine.wrap(at))(n - 1) end
print(at(1), at(100), at(180), at(1))
