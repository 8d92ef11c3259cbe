-- Helper module for the require tests: returns a table of functions.
local M = {}
M.loads = (M.loads or 0) + 1
LOAD_COUNTER = (LOAD_COUNTER or 0) + 1
function M.square(x) return x * x end
function M.cube(x) return x * x * x end
M.name = ...
return M
