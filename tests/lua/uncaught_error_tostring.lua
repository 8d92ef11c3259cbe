-- An uncaught error whose value has a __tostring metamethod.
local E = setmetatable({}, {__tostring = function() return "MyError: something failed" end})
print("raising")
error(E)
