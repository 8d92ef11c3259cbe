-- A Brainfuck interpreter with bracket precomputation, running small programs.
local function run(src, input)
  local code = {}
  for c in src:gmatch("[%+%-<>%.,%[%]]") do code[#code + 1] = c end
  local jump, stack = {}, {}
  for i, c in ipairs(code) do
    if c == "[" then stack[#stack + 1] = i
    elseif c == "]" then
      local j = table.remove(stack)
      if not j then error("unbalanced ']' at " .. i) end
      jump[i], jump[j] = j, i
    end
  end
  if #stack > 0 then error("unbalanced '['") end
  local tape, ptr, pc, out, inpos = {}, 1, 1, {}, 1
  local steps = 0
  while pc <= #code do
    local c = code[pc]
    steps = steps + 1
    if c == "+" then tape[ptr] = ((tape[ptr] or 0) + 1) % 256
    elseif c == "-" then tape[ptr] = ((tape[ptr] or 0) - 1) % 256
    elseif c == ">" then ptr = ptr + 1
    elseif c == "<" then ptr = ptr - 1
    elseif c == "." then out[#out + 1] = string.char(tape[ptr] or 0)
    elseif c == "," then
      tape[ptr] = input and input:byte(inpos) or 0
      inpos = inpos + 1
    elseif c == "[" then if (tape[ptr] or 0) == 0 then pc = jump[pc] end
    elseif c == "]" then if (tape[ptr] or 0) ~= 0 then pc = jump[pc] end
    end
    pc = pc + 1
  end
  return table.concat(out), steps
end
local hello = "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++."
print(run(hello))
-- reverse the input
print(run(">,[>,]<[.<]", "stressed"))
-- add two digits: reads "3" "4", prints "7"
print(run(",>,[<+>-]<------------------------------------------------.", "34"))
-- print the squares 0..100 (classic, trimmed output)
local squares = "++++[>+++++<-]>[<+++++>-]+<+[>[>+>+<<-]++>>[<<+>>-]>>>[-]++>[-]+>>>+[[-]++++++>>>]<<<[[<++++++++<++>>-]+<.<[>----<-]<]<<[>>>>>[>>>[-]+++++++++<[>-<-]+++++++++>[-[<->-]+[<<<]]<[>+<-]>]<<-]<<-]"
local sq = run(squares)
local lines = {}
for l in sq:gmatch("[^\n]+") do lines[#lines + 1] = l end
print(#lines, lines[1], lines[5], lines[#lines])
print(pcall(run, "[[]"))
print(pcall(run, "]"))
