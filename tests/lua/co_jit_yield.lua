-- Hot loops inside coroutines that yield from calls and metamethods the
-- trace runs through its slow path: after the resume the interpreter
-- finishes the instruction and the loop goes on (three JIT modes).
local Y = coroutine.yield

-- a loop calling a Lua function that yields every few iterations
local function maybe(i) if i % 7 == 0 then return Y(i) end return i end
local co = coroutine.wrap(function(n)
  local s = 0
  for i = 1, n do s = s + maybe(i) end
  return "sum", s
end)
local r, s = co(3000)
local got = 0
while r ~= "sum" do got = got + r r, s = co(r * 2) end
print(got, s)

-- the same with the total returned at the end
local function run(n)
  local c = coroutine.create(function()
    local s = 0
    for i = 1, n do s = s + maybe(i) end
    return s
  end)
  local ok, v = coroutine.resume(c)
  local yields = 0
  while coroutine.status(c) ~= "dead" do
    yields = yields + 1
    ok, v = coroutine.resume(c, -v)
  end
  return yields, v
end
print(run(5000))

-- __index and __add metamethods that yield inside a hot loop
local proxy = setmetatable({}, {__index = function(t, k) return Y(k) end})
local num = setmetatable({}, {__add = function(a, b) return Y("add") end})
local c2 = coroutine.wrap(function()
  local s = 0
  for i = 1, 2000 do
    local v = proxy[i]
    s = s + v
    if i % 100 == 0 then s = s + (num + i) end
  end
  return "done", s
end)
local k, total = c2()
local n = 0
while k ~= "done" do
  n = n + 1
  if k == "add" then k, total = c2(1) else k, total = c2(k + 1) end
end
print(n, total)

-- generators consumed in hot loops: numeric results must be exact
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do Y(i, i * 0.5) end end)
end
local si, sf = 0, 0.0
for _ = 1, 20 do
  for i, f in gen(300) do si = si + i sf = sf + f end
end
print(si, sf)

-- a float accumulator live across yields
local acc = coroutine.wrap(function()
  local x = 0.0
  for i = 1, 4000 do
    x = x * 0.5 + i
    if i % 500 == 0 then Y(x) end
  end
  return x
end)
local vals = {}
for j = 1, 9 do vals[j] = string.format("%.6f", acc()) end
print(table.concat(vals, " "))

-- many coroutines stepped round-robin from a hot loop
local cos = {}
for i = 1, 50 do
  cos[i] = coroutine.wrap(function() local s = i while true do s = s + Y(s) end end)
  cos[i](0)
end
local check = 0
for round = 1, 200 do
  for i = 1, 50 do check = (check + cos[i](round)) % 1000003 end
end
print(check)

-- yields inside pcall inside a hot loop
local c3 = coroutine.wrap(function()
  local okc, errc = 0, 0
  for i = 1, 1500 do
    local ok = pcall(function() if i % 3 == 0 then Y(i) end if i % 5 == 0 then error("x") end end)
    if ok then okc = okc + 1 else errc = errc + 1 end
  end
  return -1, okc, errc
end)
local y, o, e = c3()
local yc = 0
while y ~= -1 do yc = yc + 1 y, o, e = c3() end
print(yc, o, e)
