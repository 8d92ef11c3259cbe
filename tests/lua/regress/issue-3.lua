-- Regressions found by the JIT differential fuzzer in the interpreter.
-- Float modulo: the remainder's correction must compare signs (the product
-- of a tiny remainder and divisor underflows to zero).
print(string.format("%.17g", -5.5 % 1e-300))
print(string.format("%.17g", 5.5 % -1e-300))
print(-5.5 % -2.0, 5.5 % -2.0, -5.5 % 2.0, 5.5 % 2.0)
print(-1e300 % -math.huge, 1e300 % math.huge, 5 % -math.huge, -5 % math.huge)
-- A left operand that does not fit an immediate must take its register
-- before the right operand's code (here an `or` expression) runs.
local a = 0
print(1000 < (a or 0), 1000 <= (a or 0), 1000 > (a or 0), 1000 >= (a or 0))
print(1.5 < (a or 0), 2147483747 <= (a and 5 or 7))
local b = 1000 < (a or 2000)
print(b)
-- Compile-time constants (<const>) inside nested functions and referenced
-- from inner functions (found by the libFuzzer target on `load`).
local a1, a2 = 1, 2
local function f() local x <const> = 5; local y <const> = "s"; return x, y end
print(f())
local k <const> = 7
local function g() local z <const> = k * 2; return function() return k + z end end
print(g()())
print(load("local k local s<const> = '' local a = function() s[")) 
