local M = {}
function M.m(self) return self.t.x end
function M:n() return self.m(self) end
local obj = setmetatable({t = setmetatable({}, {__index = function(t, k) error("idx " .. k) end})}, {__index = M})
local up = function() return obj:n() end
local function h() return (up()) end
function global_entry() h() return 1 end
global_entry()
