local function check(x) if type(x) ~= "number" then error("need a number", 2) end return x end
local function user() return check("a") + 1 end
for i, v in ipairs({1}) do user() end
