-- Comment forms: line, long with levels, comments between tokens, shebang-free start.
local a = 1 -- trailing comment
--[[ block
comment ]] local b = 2
--[=[ level one ]] still comment ]=] local c = 3
--[==[
multi
line ]==] local d = 4
print(a, b, c, d)
print(1 + --[[ inline ]] 2)
local t = { -- comment inside constructor
  1, --[[ between ]] 2,
  -- whole line
  3,
}
print(#t)
--[[]] print("empty long comment")
-- [[ not a long comment because of the space
print("after pseudo long comment")
--[
print("single bracket is a line comment")
local s = "-- not a comment inside a string"
print(s)
local l = [[--[[ also not a comment ]]
print(l)
print("x" --[==[ ]] ]=] ]==] .. "y")
