-- os.exit(0) and os.exit(true) end the script successfully; output is flushed.
io.write("written with io.write, ")
print("then print")
if #arg == 0 then
  os.exit(true)
end
print("not reached")
