-- os.exit(1) after writing a message to stderr.
print("partial output")
io.stderr:write("fatal: custom failure\n")
os.exit(1)
print("not reached")
