-- issue 17: small differences from lua5.4.

-- x - k for a small integer constant k runs as x + (-k), as lua5.4 compiles
-- it (OP_ADDI with -k): -0.0 - 0 is 0.0; with a float constant it stays a
-- subtraction. Loops give the JIT traces of both forms.
local x = -0.0
print(x - 0, x - 0.0, x - 1, x - 1.0, x + 0, x - (-0), x - 127, x - (-128))
local r1, r2, r3 = nil, nil, nil
for i = 1, 200 do
  local y = (i % 2 == 0) and -0.0 or 0.5
  r1, r2, r3 = y - 0, y - 0.0, y - 3
end
print(r1, r2, r3)
local acc = 0
for i = 1, 300 do acc = acc + (i - 7) - (i - 7.0) end
print(acc, math.type(acc))
print(math.mininteger - 1 == math.maxinteger, math.maxinteger - (-1) == math.mininteger)
print("10" - 1, "0x10" - 0, "-0.0" - 0)
local mt = setmetatable({}, {__sub = function(a, b) return math.type(b) .. " " .. b end})
print(mt - 5, mt - 0, mt - (-3))
print(pcall(function() local z; return z - 1 end))
print(pcall(function() return {} - 2 end))

-- lexer escape messages
for _, s in ipairs{'"\\u{41"', '"\\u41"', '"\\u{}"', '"\\u{80000000}"', '"\\xg"',
                   '"\\300"', '"\\q"', '"abc'} do
  print(load("return " .. s))
end

-- warn: off by default, so nothing reaches stderr; arguments are checked
warn("not shown")
warn("@on")
warn("@off")
setmetatable({}, {__gc = function() error("in gc") end})
collectgarbage()
print(pcall(warn))
print(pcall(warn, "a", {}))
print(pcall(warn, "a", 1, 2.5))
print("done")
