-- Yields from for-in iterators, __pairs, nested coroutine.wrap, dofile,
-- tail calls and vararg functions.
local Y = coroutine.yield
local function collect(f, ...)
  local out = {}
  for v in coroutine.wrap(function(...) f(...) end), ... do out[#out + 1] = tostring(v) end
  return table.concat(out, " ")
end

-- a Lua iterator function that yields
print(collect(function()
  local function it(s, c) c = c + 1 if c <= 3 then Y("step" .. c) return c end end
  for i in it, nil, 0 do Y(i * 10) end
end))

-- an iterator that is a coroutine.wrap inside the coroutine
print(collect(function()
  local inner = coroutine.wrap(function() for i = 1, 3 do Y(i) end end)
  for v in inner do Y("got" .. v) end
end))

-- three levels of nested wrap generators
local function range(n) return coroutine.wrap(function() for i = 1, n do Y(i) end end) end
local function squares(n) return coroutine.wrap(function() for i in range(n) do Y(i * i) end end) end
local function evens(n) return coroutine.wrap(function() for s in squares(n) do if s % 2 == 0 then Y(s) end end end) end
local t = {}
for v in evens(10) do t[#t + 1] = v end
print(table.concat(t, ","))

-- __pairs that yields before returning the iterator
local obj = setmetatable({}, {__pairs = function(self)
  Y("in __pairs")
  local i = 0
  return function() i = i + 1 if i <= 2 then return i, i * i end end, self, nil
end})
print(collect(function() for k, v in pairs(obj) do Y(k .. "=" .. v) end end))

-- dofile of a chunk that yields
local name = os.tmpname()
local fh = io.open(name, "w")
fh:write("local a = coroutine.yield('from dofile') return a, 'second'\n")
fh:close()
local co = coroutine.create(function() return dofile(name) end)
print(coroutine.resume(co))
print(coroutine.resume(co, "resumed"))
os.remove(name)

-- tail calls into coroutine.yield and into functions that yield
print(collect(function()
  local function tail(n) if n == 0 then return Y("tail bottom") end return tail(n - 1) end
  tail(5)
  local function ret_yield(...) return Y(...) end
  ret_yield("tailcalled yield")
end))

-- vararg functions that yield in the middle
local co2 = coroutine.wrap(function(...)
  local n = select("#", ...)
  local x = Y(n, ...)
  local function va(...) local a, b = Y(select("#", ...)) return a, b, ... end
  return va(x, "v2", "v3")
end)
print(co2(1, 2, 3))
print(co2("X"))
print(co2("A", "B"))

-- yield through a C iterator call in the loop header (ipairs over a proxy)
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return Y("idx" .. i) end end})
print(collect(function()
  for i, v in ipairs({10, 20}) do Y(i + v) end
end))
print(pcall(collect, function() for i, v in ipairs(proxy) do Y(v) end end))

-- values passed through many yields keep their order and count
local echo = coroutine.wrap(function(...)
  local args = table.pack(...)
  while true do args = table.pack(Y(table.unpack(args, 1, args.n))) end
end)
print(echo(1, nil, 3))
print(select("#", echo()))
print(echo(nil, nil))
print(select("#", echo(nil, nil, nil)))

-- a generator used by the JIT's hot loop
local sum = 0
for i = 1, 3 do
  for v in range(200) do sum = sum + v end
end
print(sum)
