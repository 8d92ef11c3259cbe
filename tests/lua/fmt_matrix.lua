-- string.format: many specifications against many values (errors shown without position).
local specs = {"%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%x", "%#X", "%o", "%#o", "%c",
  "%f", "%.0f", "%.3f", "%10.2f", "%-10.2f|", "%+.2f", "%#.0f", "%e", "%.2E", "%g", "%.3g", "%#g", "%G", "%10.3g|",
  "%a", "%.1a", "%s", "%.2s", "%8s|", "%-8s|", "%q", "%i", "%u"}
local values = {0, 1, -1, 42, -42, 255, 3.0, -0.0, 0.5, 3.14159, -2.71828, 1e10, 1.5e-10, 2^53, math.maxinteger,
  math.mininteger, math.huge, -math.huge, "17", "abc", "", true}
for _, spec in ipairs(specs) do
  local row = {}
  for _, v in ipairs(values) do
    local ok, r = pcall(string.format, spec, v)
    row[#row + 1] = ok and ("[" .. r .. "]") or ("E:" .. r:gsub("^bad argument #2 to 'string.format' ", ""))
  end
  print(spec, table.concat(row, " "))
end
