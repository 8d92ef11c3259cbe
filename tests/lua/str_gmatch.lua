-- string.gmatch with and without captures, anchors and init.
for w in string.gmatch("one two three", "%a+") do io.write(w, ".") end
print()
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do io.write(k, "->", v, " ") end
print()
for pos in string.gmatch("banana", "()a") do io.write(pos, " ") end
print()
local n = 0
for e in string.gmatch("abc", "") do n = n + 1 end
print(n)
for c in ("hello"):gmatch(".") do io.write(c, "|") end
print()
for w in string.gmatch("^a ^b", "%^%a") do io.write(w, " ") end
print()
for a in string.gmatch("aaa", "^a") do io.write(a, " ") end
print("(a leading ^ is not an anchor in gmatch: no match)")
local words = {}
for w in ("The rain in Spain"):gmatch("%a*ain") do words[#words + 1] = w end
print(table.concat(words, ","))
for num in ("1, 22, 333"):gmatch("%d+") do io.write(num * 2, " ") end
print()
for a, b in ("k1:v1;k2:v2"):gmatch("(%w+):(%w+)") do io.write(a, b, " ") end
print()
for w in string.gmatch("hello world from lua", "%a+", 7) do io.write(w, " ") end
print()
for w in string.gmatch("abc", ".", -1) do io.write(w) end
print()
local it = ("x y"):gmatch("%a")
print(it(), it(), it())
for m in ("aXbXc"):gmatch("[^X]*") do io.write("[", m, "]") end
print()
