-- error() with level 0 adds no position.
print("start")
error("plain message without position", 0)
