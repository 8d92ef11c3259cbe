-- Long brackets of several levels nested in each other, in strings and comments.
local s0 = [[level 0 with ]=] and ]==] inside]]
local s1 = [=[level 1 with ]] and [[ inside]=]
local s3 = [===[level 3 with ]==] ]=] ]] inside]===]
print(s0) print(s1) print(s3)
print(#[==[]==], #[[
]], #[[

]])
--[===[ long comment containing ]] and ]==] and even [[ ]]
]===]
local code = "return [==[\n" .. "embedded ]] text" .. "]==]"
print(load(code)())
local nested = load("return [=[" .. "[[ inner ]]" .. "]=]")()
print(nested)
print([[a\tb\n]] == "a\\tb\\n")
print([==[
]==] == "")
local multi = [[
line 1
  line 2
]]
io.write(multi)
print(#multi)
