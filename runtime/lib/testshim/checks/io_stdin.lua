-- Reading standard input: io.read, io.lines(), io.stdin methods.
print(io.read())
print(io.read("L"))
print(io.read("n", "n", "n"))
print(io.stdin:read("l"))
for line in io.lines() do print("[" .. line .. "]") end
print(io.read(), io.read("a"), io.read(0), io.stdin:read(1))
print(io.type(io.stdin), io.input() == io.stdin, pcall(io.stdin.close, io.stdin))
