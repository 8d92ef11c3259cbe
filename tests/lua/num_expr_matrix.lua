-- Every binary operator applied to every pair from a set of awkward operands.
-- Each result is printed with its subtype, or as E<n>: the n-th distinct error
-- message (without position), listed at the end.
local operands = {
  {"0", 0}, {"1", 1}, {"-1", -1}, {"7", 7}, {"-7", -7}, {"2^53", 2^53}, {"maxint", math.maxinteger},
  {"minint", math.mininteger}, {"0.5", 0.5}, {"-0.0", -0.0}, {"3.0", 3.0}, {"1e308", 1e308},
  {"inf", math.huge}, {"'10'", "10"}, {"'0x10'", "0x10"}, {"'2.5'", "2.5"}, {"'x'", "x"},
}
local ops = {"+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<", ">>", "==", "<", "<=", ".."}
local fns = {}
for _, op in ipairs(ops) do fns[op] = load("local a, b = ... return a " .. op .. " b") end
local errs, errlist = {}, {}
local function errid(msg)
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  if not errs[msg] then errlist[#errlist + 1] = msg errs[msg] = #errlist end
  return "E" .. errs[msg]
end
local function show(v)
  if type(v) == "number" then return tostring(v) .. (math.type(v) == "integer" and "i" or "f") end
  return type(v) .. ":" .. tostring(v)
end
for _, op in ipairs(ops) do
  local f = fns[op]
  for _, a in ipairs(operands) do
    local row = {}
    for _, b in ipairs(operands) do
      local ok, r = pcall(f, a[2], b[2])
      if ok then row[#row + 1] = show(r)
      else row[#row + 1] = errid(r) end
    end
    print(a[1] .. " " .. op, table.concat(row, " "))
  end
end
for i, msg in ipairs(errlist) do print("E" .. i, msg) end
