-- reduce.lua -- shrink a failing fuzz program while it keeps failing.
--
-- Usage: lua5.4 reduce.lua <interp> <seed-S.lua> [out.lua]
--
-- Runs the program as `lua5.4`, `<interp> -joff` and `<interp> -Ohotloop=1`
-- and records which of the three results (stdout, exit status, first stderr
-- line without the program name) differ. Then it repeatedly deletes a line
-- together with the block it opens (gen.lua indents every block by two
-- spaces, so indentation gives the structure) and keeps a deletion when the
-- same pairs still differ. The result goes to out.lua (default
-- seed-S.min.lua); it runs under the same file name as the original, so
-- error messages keep their chunk name. Set LUA54 to use another reference,
-- REDUCE_TIMEOUT (seconds, default 2) for slower builds, REDUCE_JIT for the
-- options of the JIT run (default "-Ohotloop=1"; for an exitstress failure
-- e.g. REDUCE_JIT="-Ohotloop=1 -Oexitstress=3").

local interp, src = arg[1], arg[2]
if not interp or not src then
  io.stderr:write("usage: reduce.lua <interp> <prog.lua> [out.lua]\n")
  os.exit(2)
end
local dst = arg[3] or (src:gsub("%.lua$", "") .. ".min.lua")
local lua54 = os.getenv("LUA54") or "lua5.4"
-- deleting a loop counter's increment makes an endless loop: keep the
-- timeout short (the generated programs run in milliseconds)
local tmo = os.getenv("REDUCE_TIMEOUT") or "2"
local jitopts = os.getenv("REDUCE_JIT") or "-Ohotloop=1"

local lines = {}
for l in io.lines(src) do lines[#lines + 1] = l end

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p '" .. dir .. "'"))
local name = src:match("[^/]*$")

local function run(cmd)
  local f = io.popen("cd '" .. dir .. "' && timeout " .. tmo .. " " .. cmd .. " '" .. name ..
    "' 2>stderr.txt; echo \"exit: $?\"")
  local out = f:read("a")
  f:close()
  local e = io.open(dir .. "/stderr.txt"):read("l") or ""
  return out .. "stderr: " .. e:gsub("^[^:]*: ", "")
end

local function signature(ls)
  local f = assert(io.open(dir .. "/" .. name, "w"))
  f:write(table.concat(ls, "\n"), "\n")
  f:close()
  local a = run(lua54)
  local b = run(interp .. " -joff")
  local c = run(interp .. " " .. jitopts)
  return (a == b and "=" or "!") .. (a == c and "=" or "!") .. (b == c and "=" or "!")
end

local want = signature(lines)
if want == "===" then
  io.stderr:write("reduce.lua: the program does not fail\n")
  os.exit(1)
end
io.stderr:write("signature (lua5.4=joff, lua5.4=jit, joff=jit): " .. want .. "\n")

local function indent_of(l) return #l:match("^ *") end
local function word_of(l) return l:match("^ *(%a*)") end

-- The lines [i, j] that deleting line i takes along: its nested lines and,
-- for a block opener, the else/elseif branches and the closing end/until.
local function chunk_end(i)
  local k = indent_of(lines[i])
  local w = word_of(lines[i])
  local j = i
  while true do
    while j + 1 <= #lines and indent_of(lines[j + 1]) > k do j = j + 1 end
    local nxt = lines[j + 1]
    if not nxt or indent_of(nxt) ~= k then return j end
    local nw = word_of(nxt)
    if w == "elseif" or w == "else" then return j end
    if nw == "elseif" or nw == "else" then j = j + 1
    elseif nw == "end" or nw == "until" then return j + 1
    else return j end
  end
end

local changed = true
while changed do
  changed = false
  local i = 1
  while i <= #lines do
    local w = word_of(lines[i])
    if w ~= "end" and w ~= "until" and lines[i] ~= "" then
      local j = chunk_end(i)
      local cand = {}
      for k = 1, i - 1 do cand[#cand + 1] = lines[k] end
      for k = j + 1, #lines do cand[#cand + 1] = lines[k] end
      if signature(cand) == want then
        lines = cand
        changed = true
        io.stderr:write(("removed lines %d-%d, %d left\n"):format(i, j, #lines))
      else
        i = i + 1
      end
    else
      i = i + 1
    end
  end
end

local f = assert(io.open(dst, "w"))
f:write(table.concat(lines, "\n"), "\n")
f:close()
os.execute("rm -rf '" .. dir .. "'")
print(dst .. ": " .. #lines .. " lines")
