-- if / elseif / else chains and truthiness.
local function classify(x)
  if x == nil then return "nil"
  elseif x == false then return "false"
  elseif type(x) == "number" then
    if x < 0 then return "neg" elseif x == 0 then return "zero" else return "pos" end
  else
    return "other"
  end
end
for _, v in ipairs({-1, 0, 1}) do io.write(classify(v), " ") end
print(classify(nil), classify(false), classify("s"))
if 0 then print("0 is true") end
if "" then print("empty string is true") end
if not nil then print("nil is false") end
local t = {}
if t then print("table is true") end
local x = 5
if x > 3 then x = x * 2 end
print(x)
if x > 100 then print("big") elseif x > 5 then print("medium") end
