-- Reading from an empty standard input (the runner connects stdin to /dev/null).
print(io.read())
print(io.read("l"), io.read("L"), io.read("n"))
print(io.read("a") == "", #io.read("a"))
print(io.read(0), io.read(5))
local n = 0
for _ in io.lines() do n = n + 1 end
print(n)
print(io.input() == io.stdin, io.type(io.stdin), io.type(io.stderr))
print(io.stdin:read("a") == "")
io.stderr:write("")
print(pcall(io.read, "z"))
