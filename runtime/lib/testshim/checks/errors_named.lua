-- Error messages when library functions are called by name, as methods and
-- through locals: the function name in "bad argument" depends on the call.
local function e(f) local ok, msg = pcall(f) print(msg) end
e(function() return ("x"):rep({}) end)
e(function() return ("x"):sub() end)
e(function() return string.sub() end)
e(function() local s = string.sub return s() end)
e(function() return string.format("%d", "x") end)
e(function() return ("%d"):format(1.5) end)
e(function() return table.insert(nil, 1) end)
e(function() local t = table return t.concat({{}}) end)
e(function() return math.floor("a") end)
e(function() return io.open("x", "bad") end)
e(function() return io.stdout:seek("nowhere") end)
e(function() return io.stdout.write(42) end)
e(function() return os.date("%Ez") end)
e(function() return utf8.char(-1) end)
e(function() return string.rep("x", 1, 2, 3) .. nil end)
e(function() return ("x"):bad() end)
e(function() return string.gsub("x", "(", "") end)
e(function() for k in string.gmatch("x", "%") do end end)
e(function() return table.sort({3, 2, 1}, function(a, b) return true end) end)
local name = "/tmp/cpjit_libcheck_errors.txt"
local f = io.open(name, "w") f:write("1\n2\n3\n") f:close()
local it, a, b, file = io.lines(name)
for l in it, a, b, file do break end
print(io.type(file))
for l in io.lines(name) do end
print(select("#", io.lines(name)))
e(function() local g = io.open(name) g:close() return g:read() end)
e(function() local g = io.open(name) local it2 = g:lines() g:close() return it2() end)
os.remove(name)
