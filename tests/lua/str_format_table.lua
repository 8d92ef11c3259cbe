-- string.format('%5.2f', x) and friends over many values (a formatted table).
local xs = {0, 1, -1, 0.5, 0.125, 1/3, 2/3, 10, 99.999, 100.004, -0.001, 1234.5678, 1e6, 3.14159, -2.675, 2.675, 1.005, 0.045}
for _, x in ipairs(xs) do
  print(string.format("%5.2f|%-8.3f|%08.2f|%+.1e|%g|%10.4g|", x, x, x, x, x, x))
end
for _, n in ipairs({0, 1, -1, 7, 255, 65535, -65536, 123456789}) do
  print(string.format("%6d|%-6d|%06d|%x|%X|%o|%+d|% d", n, n, n, n & 0xffffffff, n & 0xffffffff, n & 0x7fff, n, n))
end
print(string.format("%-6s|%6s|%.1s|", "ab", "cd", "ef"))
print(string.format("%3d%%", 50))
