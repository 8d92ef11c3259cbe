-- collectgarbage's modes and parameters read back as lua5.4 reports them:
-- the standalone interpreter starts in generational mode, "generational"
-- and "incremental" return the mode before the call, "setpause" and
-- "setstepmul" return the previous value (kept to a multiple of 4).
print("start", collectgarbage("generational"))
print("modes", collectgarbage("incremental"), collectgarbage("incremental"),
      collectgarbage("generational"), collectgarbage("generational"),
      collectgarbage("incremental"))
print("pause", collectgarbage("setpause", 150), collectgarbage("setpause", 7),
      collectgarbage("setpause", 200), collectgarbage("setpause"))
print("pause back", collectgarbage("setpause", 200))
print("stepmul", collectgarbage("setstepmul", 203), collectgarbage("setstepmul", 400),
      collectgarbage("setstepmul", 100))
-- "incremental" sets the pause and the step multiplier when they are not 0
print("inc args", collectgarbage("incremental", 120, 300, 10),
      collectgarbage("setpause", 200), collectgarbage("setstepmul", 100))
print("inc zeros", collectgarbage("incremental", 0, 0, 0),
      collectgarbage("setpause", 200), collectgarbage("setstepmul", 100))
print("gen args", collectgarbage("generational", 20, 100), collectgarbage("incremental"))
print("types", type(collectgarbage("count")), collectgarbage("isrunning"),
      collectgarbage("step"), collectgarbage())

-- the collector still does its work in either mode
for _, mode in ipairs({"generational", "incremental"}) do
  collectgarbage(mode)
  local weak = setmetatable({}, {__mode = "v"})
  for i = 1, 100 do weak[i] = {i} end
  local kept = weak[50]
  collectgarbage()
  local n = 0
  for _ in pairs(weak) do n = n + 1 end
  print(mode, n, kept[1], weak[50] == kept)
  local ran = 0
  for i = 1, 10 do setmetatable({}, {__gc = function() ran = ran + 1 end}) end
  collectgarbage()
  print(mode, "finalizers", ran)
end
print("end", collectgarbage("incremental"))
