-- An object whose only reference is left in a dead register (a temporary
-- above the live locals) is garbage: lua5.4 marks a frame only up to the
-- instruction's result (NEWTABLE, CLOSURE, CONCAT collect with the stack
-- top just above it) and clears the stack above, so finalizers run and
-- weak entries go away while a loop keeps allocating.
local LIMIT = 200000

local function id(...) return ... end

-- a finalizer observed from a 'repeat' loop that allocates tables
local function finalizer_newtable()
  local finished = false
  local n = 0
  do -- the call's temporaries keep the object above the locals below
    local a, b, c = nil, nil, id(setmetatable({}, {__gc = function() finished = true end}))
  end
  repeat local t = {n} n = n + 1 until finished or n >= LIMIT
  return finished
end
print("newtable finalizer", finalizer_newtable())

-- a weak-valued entry cleared while a loop makes closures
local function weak_closure()
  local weak = setmetatable({}, {__mode = "v"})
  local n = 0
  do
    local a, b, c = nil, nil, id({"only in a dead register"})
    weak[1] = c
  end
  repeat local f = function() return n end n = n + 1 until weak[1] == nil or n >= LIMIT
  return weak[1] == nil
end
print("closure weak", weak_closure())

-- a weak key cleared while a loop concatenates strings
local function weak_concat()
  local weak = setmetatable({}, {__mode = "k"})
  local n = 0
  do
    local a, b, c = nil, nil, id({})
    weak[c] = true
  end
  repeat local s = "x" .. n n = n + 1 until next(weak) == nil or n >= LIMIT
  return next(weak) == nil
end
print("concat weak", weak_concat())

-- an explicit collection from a call made above the dead registers
local function explicit()
  local ran = 0
  do
    local a, b, c = nil, nil, id(setmetatable({}, {__gc = function() ran = ran + 1 end}))
  end
  collectgarbage()
  collectgarbage()
  return ran
end
print("explicit", explicit())

-- live values stay: locals below the new table survive the collections
local function live()
  local keep = setmetatable({}, {__mode = "k"})
  local a = {"a"}
  local b = function() return "b" end
  keep[a] = 1
  keep[b] = 2
  local n = 0
  repeat local t = {n} local s = "y" .. n n = n + 1 until n >= 20000
  collectgarbage()
  return keep[a], keep[b], a[1], b()
end
print("live", live())

-- the same in loops the trace JIT compiles (NEWTABLE, CLOSURE and CONCAT run
-- from trace code, which collects as the interpreter does)
local function traced_newtable()
  local finished = false
  local n, x = 0, 0
  do
    local a, b, c = nil, nil, id(setmetatable({}, {__gc = function() finished = true end}))
  end
  repeat
    local t = {}
    x = x + n * 3 - (n // 2) + (n % 7) - n + 1 + n * 2 - n - n
    n = n + 1
  until finished or n >= LIMIT
  return finished
end
print("traced newtable", traced_newtable())
local function traced_closure()
  local weak = setmetatable({}, {__mode = "v"})
  local n, x = 0, 0
  do
    local a, b, c = nil, nil, id({})
    weak[1] = c
  end
  repeat
    local f = function() end
    x = x + n * 3 - (n // 2) + (n % 7) - n + 1 + n * 2 - n - n
    n = n + 1
  until weak[1] == nil or n >= LIMIT
  return weak[1] == nil
end
print("traced closure", traced_closure())
local function traced_concat()
  local weak = setmetatable({}, {__mode = "k"})
  local n, x = 0, 0
  do
    local a, b, c = nil, nil, id({})
    weak[c] = true
  end
  repeat
    local s = "x" .. n
    x = x + n * 3 - (n // 2) + (n % 7) - n + 1 + n * 2 - n - n
    n = n + 1
  until next(weak) == nil or n >= LIMIT
  return next(weak) == nil
end
print("traced concat", traced_concat())
