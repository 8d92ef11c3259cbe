-- dofile and loadfile with helper files in modules/.
print(dofile("modules/chunk.lua"))
local f = loadfile("modules/chunk.lua")
print(f("extra1", "extra2"))
print(loadfile("modules/missing_file.lua"))
local ok, e = pcall(dofile, "modules/missing_file.lua")
print(ok, e)
print(loadfile("modules/syntax_bad.lua"))
print(pcall(dofile, "modules/syntax_bad.lua"))
local env = {}
local g = loadfile("modules/chunk.lua", "t", env)
print(g())
