-- All operator tokens and keywords parse as expected.
local a, b = 7, 3
print(a + b, a - b, a * b, a / b, a % b, a ^ 2, a // b)
print(a & b, a | b, a ~ b, ~a, a << 2, a >> 1)
print(a == b, a ~= b, a < b, a <= b, a > b, a >= b)
print(#"abc", -a, not a, "x" .. "y")
local t = {1, 2; 3, n = 4,}
print(#t, t.n, t["n"])
local s = "dots"
print(s:len(), s:upper())
goto skip
print("not printed")
::skip::
print("label ok")
do local x <const> = 5 print(x) end
print(1--[[inline comment]]+1)
print(a--line comment
)
local and_, or_, not_ = 1, 2, 3
print(and_ + or_ + not_)
local function f(...) return select('#', ...) end
print(f(), f(nil), f(1, 2, 3))
print(("%d"):format(42))
print(#{...})
local _ENV2 = 5
print(_ENV2)
print(type(_ENV), _ENV == _G)
