-- require: search path, caching, package.loaded, errors.
package.path = "./modules/?.lua;./modules/?/init.lua;" .. package.path
local m = require("mathutil")
print(m.square(7), m.cube(3), m.name)
local m2 = require("mathutil")
print(m == m2, LOAD_COUNTER)
print(package.loaded.mathutil == m)
print(require("noreturn"), NORETURN_LOADED, package.loaded.noreturn)
local pkg = require("pkg")
print(pkg.kind, pkg.args)
local ok, err = pcall(require, "does_not_exist")
print(ok, (err:match("module 'does_not_exist' not found")))
local ok2, err2 = pcall(require, "failing")
print(ok2, (err2:gsub("^.-failing%.lua:%d+: ", "")))
print(package.loaded.failing)
package.loaded.fake = {fake = true}
print(require("fake").fake)
package.loaded.mathutil = nil
local m3 = require("mathutil")
print(m3 == m, LOAD_COUNTER)
print(type(package.path), type(package.loaded), type(package.preload))
package.preload.virtual = function(name, extra) return {n = name, e = extra} end
local v = require("virtual")
print(v.n, v.e)
print(select('#', require("mathutil")))
print(package.loaded._G == _G, package.loaded.string == string)
