-- Long strings and long comments with levels.
local a = [[plain long string]]
print(a, #a)
local b = [==[contains ]] and ]=] inside]==]
print(b, #b)
local c = [[
first newline is skipped]]
print(c, #c)
local d = [[line1
line2
line3]]
print(d)
print(#d)
--[[ a long comment
spanning lines ]] print("after long comment")
--[==[ comment with ]] inside ]==] print("after level-2 comment")
---[[ this is a line comment, so the next line runs
print("single dash trick")
--]]
local e = [=[
]=]
print(#e, e == "")
local f = [[\n is not an escape here]]
print(f, #f)
print([[a]] .. [=[b]=] .. [==[c]==])
local g = [[

two newlines, one skipped]]
print(#g, g:sub(1,1) == "\n")
print(type([[ ]]))
local h = [[tab	inside]]
print(h:find("\t"))
-- CR LF handling inside long string: "\r\n" is normalised to "\n"
local src = "return [[x\r\ny]]"
local s2 = load(src)()
print(#s2, s2:byte(1, -1))
