local p = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v .. {}) end,
                            __call = function(self, a) self[a] = a end})
local function go() p("key") end
go()
