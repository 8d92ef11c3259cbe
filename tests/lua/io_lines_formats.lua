-- io.lines and file:lines with formats and counts; io.read defaults on files.
for a, b, c in io.lines("data/numbers.txt", "n", "n", "n") do print(a, b, c) break end
local f = io.open("data/numbers.txt")
for n in f:lines("n") do io.write(tostring(n), " ") end
print()
f:close()
local g = io.open("data/lines.txt")
for chunk in g:lines(7) do io.write("<", chunk, ">") end
print()
g:close()
local h = io.open("data/lines.txt")
print(h:read())
print(h:read("l", "l"))
print(h:read("L"))
print(h:read(3, 3, 3))
h:close()
local count = 0
for line in io.lines("data/text.txt", "L") do if line:sub(-1) == "\n" then count = count + 1 end end
print(count)
local e = io.open("data/lines.txt")
local okr, errr = pcall(e.read, e, "x")
print(okr, (errr:match("invalid format")))
e:close()
local all = {}
for l in io.lines("data/lines.txt") do all[#all + 1] = #l end
print(table.concat(all, " "))
local r = io.open("data/lines.txt")
print(r:seek("end"), r:read("a"), r:read("l"), r:read(0))
r:close()
