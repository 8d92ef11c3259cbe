-- A trailing ',' or ';' in a table constructor leaves the last item open:
-- a call or '...' there still expands to all its values.
local function f() return 1, 2, 3 end
local function none() end
local function show(t) local n = #t local s = {} for i = 1, n do s[i] = tostring(t[i]) end
  return n .. ": " .. table.concat(s, " ") end
print(show({f(), f()}))
print(show({f(), f();}))
print(show({f(), f(),}))
print(show({f();}))
print(show({f(),}))
print(show({0; f()}))
print(show({(f()),}))
print(show({f(), (f());}))
print(show({none(),}), select('#', table.unpack({none(),})))
local function va(...) return {...,}, {..., 1;}, {1, ...;} end
for _, t in ipairs({va(7, 8, 9)}) do print(show(t)) end
-- more than one SETLIST batch (50 items) before the open last item
local t = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, f(),}
print(#t, t[49], t[50], t[51], t[52])
t = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, f();}
print(#t, t[50], t[51], t[53])
-- in a loop, so traces see the constructor too
local sum = 0
for i = 1, 200 do local u = {i, f(),} sum = sum + #u + u[4] end
print(sum)
-- a recursive multi-value return (Lua 5.4 testes/constructs.lua)
local function g(i) if i > 0 then return i, g(i - 1) end end
local x = {g(3), g(5), g(10);}
print(#x, x[1], x[2], x[3], x[4], x[12])
