local E = setmetatable({}, {__tostring = function() return "custom error" end})
local function thrower() error(E) end
local function mid() thrower() return 1 end
mid()
