-- Generated chunks near the compiler's limits: many locals, constants, items, operands.
local function gen_locals(n)
  local parts = {}
  for i = 1, n do parts[#parts + 1] = "local v" .. i .. " = " .. i end
  parts[#parts + 1] = "return v1 + v" .. n
  return table.concat(parts, "\n")
end
print(load(gen_locals(199))())
local f, e = load(gen_locals(201), "=many")
print(f, e)
local consts = {"local t = {}"}
for i = 1, 1000 do consts[#consts + 1] = ("t[%d] = 'str%d' .. %d.5"):format(i, i, i) end
consts[#consts + 1] = "return #t, t[1], t[1000]"
print(load(table.concat(consts, "\n"))())
local items = {}
for i = 1, 10000 do items[i] = tostring(i) end
local ctor = load("return {" .. table.concat(items, ",") .. "}")()
print(#ctor, ctor[1], ctor[5000], ctor[10000])
local mixed = {}
for i = 1, 600 do mixed[#mixed + 1] = (i % 2 == 0) and ("k" .. i .. "=" .. i) or tostring(i) end
local mt = load("return {" .. table.concat(mixed, ";") .. "}")()
print(#mt, mt.k600, mt[300])
local ops = {}
for i = 1, 150 do ops[i] = "'" .. (i % 10) .. "'" end
print(#load("return " .. table.concat(ops, " .. "))())
local sum = {}
for i = 1, 500 do sum[i] = tostring(i) end
print(load("return " .. table.concat(sum, " + "))())
local deep = string.rep("(", 150) .. "1" .. string.rep(")", 150)
print(load("return " .. deep)())
local too_deep = string.rep("(", 1000) .. "1" .. string.rep(")", 1000)
-- the exact message for over-deep nesting differs by implementation;
-- it must be a load error, not a crash
local g, ge = load("return " .. too_deep, "=deep")
print(g, type(ge))
local nest = {}
for i = 1, 100 do nest[#nest + 1] = "if true then" end
nest[#nest + 1] = "x = 42"
for i = 1, 100 do nest[#nest + 1] = "end" end
local env = {}
load(table.concat(nest, " "), "=nest", "t", env)()
print(env.x)
local upv = {}
for i = 1, 60 do upv[#upv + 1] = "local u" .. i .. " = " .. i end
local body = {}
for i = 1, 60 do body[#body + 1] = "u" .. i end
upv[#upv + 1] = "return function() return " .. table.concat(body, " + ") .. " end"
print(load(table.concat(upv, "\n"))()())
local longstr = string.rep("abcdefghij", 10000)
print(#load("return '" .. longstr .. "'")())
