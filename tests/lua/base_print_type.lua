-- print, type, tostring of every basic value kind.
print()
print(nil)
print(nil, nil)
print(true, false)
print(1, 2.0, "three")
print("tab\tsep", "x")
print(type(nil), type(true), type(1), type(1.5), type("s"), type({}), type(print), type(function() end), type(coroutine.create(print)))
print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring(-1.25), tostring("s"))
print(type(tostring(print)), tostring(print):match("^function: ") ~= nil)
print(tostring({}):match("^table: ") ~= nil, tostring(coroutine.create(print)):match("^thread: ") ~= nil)
print(#tostring(12345), tostring(1e300 * 10))
print(pcall(type))
print(_VERSION)
print(_G._G == _G, _G.print == print, _ENV == _G)
print(loadstring, unpack, setfenv, table.getn)
print(type(string), type(table), type(math), type(io), type(os), type(coroutine), type(package))
local names = {}
for k, v in pairs(_G) do if type(v) == "function" then names[#names + 1] = k end end
table.sort(names)
local wanted = {"assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load", "loadfile", "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select", "setmetatable", "tonumber", "tostring", "type", "xpcall"}
local have = {}
for _, n in ipairs(names) do have[n] = true end
local missing = {}
for _, n in ipairs(wanted) do if not have[n] then missing[#missing + 1] = n end end
print("missing base functions:", #missing, table.concat(missing, ","))
