-- Yields inside metamethods called by Lua code: the interrupted
-- instruction is finished when the coroutine is resumed.
local function drive(f)
  local co = coroutine.create(f)
  local out = {}
  local v = nil
  while true do
    local r = table.pack(coroutine.resume(co, v))
    if not r[1] then out[#out + 1] = "ERR " .. tostring(r[2]) break end
    if coroutine.status(co) == "dead" then
      local t = {}
      for i = 2, r.n do t[#t + 1] = tostring(r[i]) end
      out[#out + 1] = "ret " .. table.concat(t, ",")
      break
    end
    out[#out + 1] = tostring(r[2])
    v = r[3]
  end
  print(table.concat(out, " | "))
end

local Y = coroutine.yield
local mt = {
  __index = function(t, k) return Y("index " .. tostring(k), "I" .. tostring(k)) end,
  __newindex = function(t, k, v) Y("newindex " .. tostring(k) .. "=" .. tostring(v)) rawset(t, k, v) end,
  __add = function(a, b) return Y("add", 100) end,
  __sub = function(a, b) return Y("sub", 101) end,
  __mul = function(a, b) return Y("mul", 102) end,
  __div = function(a, b) return Y("div", 103) end,
  __mod = function(a, b) return Y("mod", 104) end,
  __pow = function(a, b) return Y("pow", 105) end,
  __idiv = function(a, b) return Y("idiv", 106) end,
  __band = function(a, b) return Y("band", 107) end,
  __bor = function(a, b) return Y("bor", 108) end,
  __bxor = function(a, b) return Y("bxor", 109) end,
  __shl = function(a, b) return Y("shl", 110) end,
  __shr = function(a, b) return Y("shr", 111) end,
  __unm = function(a) return Y("unm", 112) end,
  __bnot = function(a) return Y("bnot", 113) end,
  __len = function(a) return Y("len", 114) end,
  __concat = function(a, b)
    local l = type(a) == "table" and "T" or a
    local r = type(b) == "table" and "T" or b
    return Y("concat " .. l .. "+" .. r, "(" .. l .. r .. ")")
  end,
  __eq = function(a, b) return Y("eq", true) end,
  __lt = function(a, b) return Y("lt", false) end,
  __le = function(a, b) return Y("le", true) end,
  __call = function(self, x) return Y("call " .. tostring(x), x * 2) end,
}
local a = setmetatable({}, mt)
local b = setmetatable({}, mt)

drive(function() return a.x, a[1], a[true], a:m() end)
drive(function() local t = {} local k = "key" return a.field .. "/" .. a[k] end)
drive(function() a.p = 1 a[2] = 2 local k = "q" a[k] = 3 return rawget(a, "p"), rawget(a, 2), rawget(a, "q") end)
drive(function() return a + 1, 2 - a, a * a, a / 2, a % 3, a ^ 2, a // 2 end)
drive(function() return a & 1, 1 | a, a ~ 3, a << 1, a >> 1, -a, ~a, #a end)
drive(function() local x = 5 return a + x, x + a, a + 1.5, 10 - a end)
drive(function() return "x" .. a .. "y" .. b .. "z" end)
drive(function() return 1 .. a end)
drive(function() return a .. b .. a end)
drive(function() return a == b, a ~= b end)
drive(function() return a < b, a <= b, a > b, a >= b end)
drive(function() if a < b then return "lt-true" else return "lt-false" end end)
drive(function() if a <= b then return "le-true" else return "le-false" end end)
drive(function() if a == b then return "eq-true" else return "eq-false" end end)
drive(function() local n = 0 while not (a < b) and n < 2 do n = n + 1 end return n end)
drive(function() return a < 1, a <= 2, 3 < a, 4 <= a, a > 5, a >= 6 end)
drive(function() return a(21), (a(1)) end)
drive(function() return pcall(a, 4) end)

-- __lt used for <= in lua5.4 is gone; check __le missing: error
local lonly = {__lt = function(x, y) return Y("lt only", true) end}
local c = setmetatable({}, lonly)
drive(function() return c < c, pcall(function() return c <= c end) end)

-- an __index chain ending in a function that yields
local base = setmetatable({}, {__index = function(t, k) return Y("deep " .. k, k .. "!") end})
local mid = setmetatable({}, {__index = base})
local top = setmetatable({}, {__index = mid})
drive(function() return top.a, top.b end)

-- __close handlers that yield: block exit, return with values, loops
local function closer(name)
  return setmetatable({}, {__close = function() Y("close " .. name) end})
end
drive(function()
  do local x <close> = closer("x") local y <close> = closer("y") end
  return "after block"
end)
drive(function()
  local x <close> = closer("r1")
  local y <close> = closer("r2")
  return 1, 2, 3
end)
drive(function()
  local function inner(...)
    local z <close> = closer("inner")
    return ...
  end
  return inner("a", "b", "c")
end)
drive(function()
  local acc = {}
  for i = 1, 3 do
    local c1 <close> = closer("it" .. i)
    acc[#acc + 1] = i
  end
  return table.concat(acc, ",")
end)

-- generic for closing value
drive(function()
  local n = 0
  for k in function(s, c) if c < 3 then return c + 1 end end, nil, 0, closer("for") do
    n = n + k
    if k == 2 then break end
  end
  return n
end)

-- metamethods called from C cannot yield
drive(function() return tostring(setmetatable({}, {__tostring = function() Y("ts") return "s" end})) end)
drive(function() return table.concat(setmetatable({}, {__index = function(t, i) Y("ci") return "v" end, __len = function() return 2 end})) end)
drive(function() return rawlen(a), select("#", table.unpack(setmetatable({}, {__index = function() Y("unpack") end}), 1, 2)) end)
