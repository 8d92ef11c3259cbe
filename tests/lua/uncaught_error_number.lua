-- An uncaught error whose value is a number.
print(1)
error(42)
