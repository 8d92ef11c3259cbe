local function rec(n) if n == 0 then error("deep") end return 1 + rec(n - 1) end
local co = coroutine.wrap(function() rec(40) end)
co()
