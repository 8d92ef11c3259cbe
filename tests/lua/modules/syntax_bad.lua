-- Helper with a deliberate syntax error for dofile/loadfile tests.
local x = (1 + 
