-- package.searchpath as lua5.4: every '?' of the path becomes the name,
-- then each piece between ';' is tried, empty pieces included (also the
-- one after a final ';'); the message lists every piece tried.
local function show(...)
  local r, msg = package.searchpath(...)
  print(r, msg)
end
show("xuxu", "?;??;;x?")
show("x", "")
show("x", ";")
show("x", ";?;")
show("a.b.c", "/nonexistent/?.x;/nonexistent/?/y")
show("a.b.c", "/nonexistent/?.x", "", "/")
show("a.b.c", "/nonexistent/?.x", ".", "%")
show("a;b", "/nonexistent/?.lua")
-- many templates, and one very long one
local t = {}
for i = 1, 30 do t[i] = string.rep("?", i % 10 + 1) end
t[#t + 1] = ";"
local r, msg = package.searchpath("z", table.concat(t, ";"))
print(r, #msg, select(2, msg:gsub("\n", "")), msg:find(string.rep("z", 10), 1, true) ~= nil)
r, msg = package.searchpath("z", string.rep("?", 3000))
print(r, #msg)
-- a file that exists is found through an empty piece before it
local name = os.tmpname()
local f = assert(io.open(name .. ".lua", "w"))
f:write("return 'found'\n")
f:close()
print(package.searchpath("mod", ";" .. name .. ".lua") == name .. ".lua")
os.remove(name .. ".lua")
os.remove(name)
