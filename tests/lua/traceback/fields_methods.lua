local t = {x = {}}
function t.x.y() string.format("%d", "x") end
function t:meth() table.sort({3, 2, 1}, function(a, b) t.x.y() end) end
t:meth()
