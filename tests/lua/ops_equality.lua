-- Equality across types: numbers, strings, tables, functions, booleans.
print(1 == 1.0, 1 == 1.5, "1" == 1, 0 == false, nil == false, "" == false)
print("abc" == "abc", "abc" == "ab" .. "c", ("x"):rep(100) == ("x"):rep(100))
local t1, t2 = {}, {}
print(t1 == t1, t1 == t2, t1 ~= t2)
local f1 = function() end
local f2 = function() end
print(f1 == f1, f1 == f2)
print(print == print, string.len == ("").len)
print(true == true, true ~= false, true == 1)
print(math.huge == math.huge, -math.huge == -math.huge, 0/0 == 0/0)
print(0.0 == -0.0, 1/0.0 == 1/-0.0)
print(2^63 == math.maxinteger + 1.0, math.maxinteger == math.maxinteger + 0.0)
print(-2^63 == math.mininteger, math.mininteger + 0.0 == math.mininteger)
local co = coroutine.create(print)
print(co == co, coroutine.create(print) == co)
local k = {}
local tab = {[1] = "int", [k] = "table", ["1"] = "string"}
print(tab[1], tab[1.0], tab["1"], tab[k], tab[{}])
