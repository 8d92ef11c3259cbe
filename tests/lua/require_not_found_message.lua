-- require's "module not found" message lists what every searcher tried,
-- as lua5.4: package.preload, package.path, package.cpath, and for a
-- dotted name the C root library along package.cpath.
print(#package.searchers, type(package.loadlib), type(package.cpath))
package.path = "?.lua;?/?;/nonexistent/?.lua"
package.cpath = "?.so;?/init"
local function try(name)
  local ok, msg = pcall(require, name)
  print(ok)
  print(msg)
end
try("XXX")
try("a.b.c")
package.cpath = ""
try("empty_cpath")
package.path = ";"
try("y")
-- a searcher list of our own
local saved = package.searchers
package.searchers = {function(n) return "\n\tsearched " .. n end,
                     function() return nil end,
                     function(n) return "\n\tlast " .. n end}
try("mine")
package.searchers = {function(n) return function(...) return "loaded", ... end, "extra" end}
print(require("custom"))
print(package.loaded.custom)
package.searchers = nil
print(pcall(require, "nosearchers"))
package.searchers = saved
package.cpath = 42
print(pcall(require, "badcpath"))
