-- loadfile / dofile take a binary chunk after a first '#' line (as a
-- script made executable with "#!" would have), and the mode argument
-- still sees it as binary.
local name = os.tmpname()
local function write(...)
  local f = assert(io.open(name, "wb"))
  assert(f:write(...))
  f:close()
end
local chunk = string.dump(function(...) return 20, "\0\0\0", select("#", ...) end)

write("#!/usr/bin/env lua\n", chunk)
local f = assert(loadfile(name))
local a, b, c = f(1, 2)
print(a, b == "\0\0\0", #b, c)
print(dofile(name))
print(loadfile(name, "t"))
print(type(loadfile(name, "b")))

write("#comment with a NUL \0 inside\n", chunk)
print((assert(loadfile(name, "bt"))()))

-- text after a comment keeps its line numbers
write("# first line\n\nerror('on line 3')\n")
local ok, msg = pcall(dofile, name)
print(ok, msg:sub(#name + 1))
os.remove(name)
