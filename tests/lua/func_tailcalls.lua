-- Proper tail calls do not grow the stack.
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(1000000, 0))
local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(300001), odd(300001))
local function count_down(n)
  if n > 0 then return count_down(n - 1) end
  return "bottom"
end
print(count_down(500000))
-- tail call through a method and a vararg function
local obj = {}
function obj:step(n, ...)
  if n == 0 then return select('#', ...), ... end
  return self:step(n - 1, ...)
end
print(obj:step(100000, "a", "b"))
-- a tail call to a C function
local function tostr(x) return tostring(x) end
print(tostr(12.5))
-- tail call through __call
local callable = setmetatable({}, {__call = function(self, n) if n == 0 then return "called" end return self(n - 1) end})
print(callable(10000))
