-- A syntax error: nothing runs, even the print on line 2.
print("this does not run")
local x = = 2
