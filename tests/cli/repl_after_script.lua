-- Run by `cpjit-lua -i` before the interactive mode (repl_after_script.pty).
greeting = "hello from the script"
local n = 0
for i = 1, 100 do n = n + i end
print("script ran", n, #arg, arg[1])
