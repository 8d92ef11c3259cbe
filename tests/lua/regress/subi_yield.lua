-- `x - <small integer>` whose __sub metamethod yields: the result reaches
-- the register after the resume (the interpreter's finish of OP_SUBI).
local o = setmetatable({}, {__sub = function(a, b) coroutine.yield("in") return 43 end})
local co = coroutine.wrap(function() local r = o - 1 return r, o - 2 end)
print(co())
print(co())
print(co())
