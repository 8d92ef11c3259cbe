-- An uncaught runtime error after some output: stdout is kept, exit status 1.
print("before the error")
local config = {}
print(config.settings.depth)
print("never printed")
