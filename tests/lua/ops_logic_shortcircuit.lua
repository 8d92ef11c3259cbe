-- and/or/not short-circuit evaluation and value results.
local log = {}
local function v(x, tag) log[#log + 1] = tag return x end
print(v(nil, "a") and v(1, "b"), table.concat(log, ","))
log = {}
print(v(1, "a") and v(2, "b"), table.concat(log, ","))
log = {}
print(v(false, "a") or v("x", "b"), table.concat(log, ","))
log = {}
print(v(0, "a") or v(1, "b"), table.concat(log, ","))
log = {}
print(v(1, "a") and v(nil, "b") or v("c", "c"), table.concat(log, ","))
print(nil and nil, false and nil, nil or false, false or nil)
print(not nil, not false, not 0, not "", not {}, not not 1)
local x = nil
local y = x or "default"
print(y, x and x.field)
local t = {a = {b = {c = 42}}}
print(t and t.a and t.a.b and t.a.b.c, t.z and t.z.y)
local function max(a, b) return a > b and a or b end
print(max(3, 7), max(7, 3), max(-1, -1))
print(false == nil, not (false == nil), (nil == nil) and "same" or "diff")
local cnt = 0
for i = 1, 10 do if i % 2 == 0 and i % 3 == 0 or i == 1 then cnt = cnt + 1 end end
print(cnt)
print(1 and 2 and 3, nil or false or 0, false or false)
