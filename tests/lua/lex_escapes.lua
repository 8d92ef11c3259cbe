-- All escape sequences in short strings.
local function bytes(s)
  local t = {}
  for i = 1, #s do t[#t + 1] = string.byte(s, i) end
  return table.concat(t, " ")
end
print(bytes("\a\b\f\n\r\t\v"))
print(bytes("\\\"\'"))
print(bytes('\65\066\0677'))
print(bytes("\x41\x62\x7E\xff\x00"))
print(bytes("\u{41}\u{7FF}\u{800}\u{FFFF}"))
print(bytes("\u{10FFFF}"))
print(bytes("\u{7FFFFFFF}"))
print(bytes("a\z
            b"))
print("a\z      b")
print(bytes("line\
next"))
print(#"\0\0\0", bytes("x\0y"))
print("\72\101\108\108\111")
print("tab:[\t]")
print('single \'quoted\' "double"')
print("\u{48}\u{49}")
print(bytes("\255\254"))
print(#"\z
      ")
