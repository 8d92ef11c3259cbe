-- For each operator, a hot loop whose operands change subtype at different
-- iterations (int -> float -> numeric string -> back), checksummed per phase.
local ops = {"+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<", ">>", "<", "<=", "=="}
local function operand(i)
  if i < 700 then return i % 13 + 1
  elseif i < 1400 then return (i % 13) + 0.5
  elseif i < 1800 then return tostring(i % 13 + 1)
  else return i % 13 + 1.0 end
end
for _, op in ipairs(ops) do
  local f = load([[
    local operand = ...
    local phase, sums, errs = {}, {}, {}
    for i = 1, 2000 do
      local a, b = operand(i), operand(i + 3)
      local ok, r = pcall(function() return a ]] .. op .. [[ b end)
      local p = (i - 1) // 250 + 1
      if ok then
        if type(r) == "boolean" then r = r and 1 or 0 end
        sums[p] = (sums[p] or 0) + r
      else
        errs[p] = (errs[p] or 0) + 1
      end
    end
    local out = {}
    for p = 1, 8 do out[p] = string.format("%.6g/%d", sums[p] or 0, errs[p] or 0) end
    return table.concat(out, " ")
  ]])
  print(op, f(operand))
end
