-- coroutine.wrap generators and producer/consumer pipelines.
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
for v in gen(5) do io.write(v, " ") end
print()
local function filter(pred, src)
  return coroutine.wrap(function()
    for v in src do if pred(v) then coroutine.yield(v) end end
  end)
end
local function map(fn, src)
  return coroutine.wrap(function()
    for v in src do coroutine.yield(fn(v)) end
  end)
end
for v in map(function(x) return x * x end, filter(function(x) return x % 2 == 1 end, gen(10))) do io.write(v, " ") end
print()
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local count = 0
for p in coroutine.wrap(function() permgen({1, 2, 3, 4}) end) do
  count = count + 1
  if count <= 6 then io.write(table.concat(p), " ") end
end
print(count)
local fib = coroutine.wrap(function()
  local a, b = 0, 1
  while true do coroutine.yield(a) a, b = b, a + b end
end)
local fs = {}
for _ = 1, 15 do fs[#fs + 1] = fib() end
print(table.concat(fs, ","))
local w = coroutine.wrap(function(x) local y = coroutine.yield(x + 1) return y * 2 end)
print(w(1), w(10))
print(pcall(w))
local tree = {v = 1, {v = 2, {v = 4}, {v = 5}}, {v = 3, {v = 6}}}
local function walk(node)
  coroutine.yield(node.v)
  for _, child in ipairs(node) do walk(child) end
end
local vals = {}
for v in coroutine.wrap(function() walk(tree) end) do vals[#vals + 1] = v end
print(table.concat(vals, " "))
