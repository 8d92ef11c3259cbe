-- string.dump output loads back (stripped or not) for code using tail
-- calls returning a call's results, SUBI (x - constant), varargs and the
-- other instruction kinds, and the reloaded functions behave the same.
local srcs = {
  "local function f(...) return ... end return f(1, 2, 3)",
  "return select('#', ...)",
  "local x = ... return x - 1, x - 300, 5 - x",
  "local n = ... local s = 0 while n > 0 do s = s + n n = n - 1 end return s",
  "local t = {...} return #t, t[#t]",
  "local f = ... return f()",
  "local a, b = ... return a // 2, a % 3, a ^ 2, a >> 1, a << 1, a & b, a | b, a ~ b, -a, ~a",
  "local s = '' for i = 1, 3 do s = s .. i end for k, v in ipairs({4, 5}) do s = s .. k .. v end return s",
  "local o = {v = 7} function o:get(d) return self.v - d end return o:get(2)",
  "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end return fib(15)",
  "local co = coroutine.wrap(function(a) local b = coroutine.yield(a - 1) return b - 2 end) return co(10), co(20)",
  "goto skip do return 'not here' end ::skip:: return 'after goto'",
  "local mt = {__sub = function(a, b) return 'sub' end} return setmetatable({}, mt) - 1",
}
for i, s in ipairs(srcs) do
  local f = assert(load(s, "=chunk" .. i))
  for _, strip in ipairs({false, true}) do
    local g, err = load(string.dump(f, strip), "=dumped" .. i, "b")
    if not g then
      print(i, strip, err)
    else
      local arg1 = (i == 6) and function() return "tail", "results" end or 9
      print(i, strip, select("#", g(arg1, 3)), g(arg1, 3))
    end
  end
end
