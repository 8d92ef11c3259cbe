-- gen.lua -- random Lua 5.4 programs that stress a trace JIT.
--
-- Usage: lua5.4 gen.lua <seed> [--off FAMILY,...] [--only FAMILY,...]
--        (prints one program on stdout)
--
-- The output depends only on the seed: the random numbers come from an
-- xorshift64 generator in integer arithmetic (math.random is never used), and
-- nothing here depends on table iteration order, so any Lua 5.4 interpreter
-- prints the same program.
--
-- Design. Every variable of the generated program belongs to one class for
-- its whole life, and each class admits only operations that are valid for
-- every type the class allows, so loop bodies stay error-free whichever
-- iteration changes a type:
--   int     integers only (bitwise ops, table indices, guarded // and %)
--   num     integer or float (int -> float changes mid-loop, -0.0, inf, nan)
--   numstr  integer, float or numeric string (string arithmetic coercion)
--   str     any string (concatenation, length, comparisons with strings)
--   tab     array of numbers 1..#t without holes, plus field f
--   any     nil, boolean, integer or string (truthiness, ==, tostring)
--   obj     a table {v = num, n = int} whose metatable (MA .. ME) gives it
--           methods get/add/scale and every arithmetic, comparison, concat,
--           length and call metamethod (family "meta")
-- Construct families (calls, recur, meta, clos, str, iter, coro, errcall,
-- hot; switched by --off/--only) add expressions and statements of these
-- classes; see the "Construct families" section and README.md.
-- Errors happen only on purpose: inside pcall, or as the program's last act.
-- A cost model (statement executions, loop trips multiplied) keeps each
-- program well under a second in lua5.4.

local USAGE = "usage: gen.lua <integer seed> [--off FAMILY,...] [--only FAMILY,...]\n"
local seed = math.tointeger(tonumber(arg and arg[1] or "1"))
if not seed then
  io.stderr:write(USAGE)
  os.exit(2)
end

-- Construct families (see README.md); all on unless switched off. The
-- same seed with other families prints another program.
local FAMILIES = {"calls", "recur", "meta", "clos", "str", "iter", "coro",
  "errcall", "hot"}
local FAM = {}
for _, f in ipairs(FAMILIES) do FAM[f] = true end
do
  local k = 2
  while arg[k] do
    local opt, list = arg[k], arg[k + 1]
    if (opt ~= "--off" and opt ~= "--only") or not list then
      io.stderr:write(USAGE)
      os.exit(2)
    end
    if opt == "--only" then
      for _, f in ipairs(FAMILIES) do FAM[f] = false end
    end
    for f in list:gmatch("[^,]+") do
      if FAM[f] == nil then
        io.stderr:write("gen.lua: unknown family '" .. f .. "' (families: " ..
          table.concat(FAMILIES, ", ") .. ")\n")
        os.exit(2)
      end
      FAM[f] = opt == "--only"
    end
    k = k + 2
  end
end

-- -- Random numbers ---------------------------------------------------------

local rs = seed ~ 0x2545F4914F6CDD1D
if rs == 0 then rs = 1 end
local function nextu()
  rs = rs ~ (rs << 13)
  rs = rs ~ (rs >> 7)
  rs = rs ~ (rs << 17)
  return rs
end
for _ = 1, 8 do nextu() end

local function rand(n) return (nextu() >> 1) % n end         -- 0 .. n-1
local function range(a, b) return a + rand(b - a + 1) end    -- a .. b
local function chance(pct) return rand(100) < pct end
local function pick(list) return list[rand(#list) + 1] end

-- How densely this program uses the construct families, in percent of the
-- full rate: a quarter of the programs keep to the classic grammar (plus the
-- families' prelude), so today's JIT still gets loops it compiles.
local FAMSCALE = pick({0, 50, 100, 100})

-- -- Output -----------------------------------------------------------------

local out = {}
local indent = 0
local function emit(s) out[#out + 1] = string.rep("  ", indent) .. s end

-- -- Environment ------------------------------------------------------------

-- Scope: a stack of {name, cls, loopvar} entries; loop variables may be read
-- and (int ones) incremented, never given another class.
local scope = {}
local function declare(name, cls, flags)
  scope[#scope + 1] = {name = name, cls = cls, loopvar = flags}
end
local function vars_of(cls)
  local r = {}
  for k = 1, #scope do
    if scope[k].cls == cls then r[#r + 1] = scope[k] end
  end
  return r
end
local function assignable(cls)
  local r = {}
  for k = 1, #scope do
    local v = scope[k]
    if v.cls == cls and not v.loopvar then r[#r + 1] = v end
  end
  return r
end

local counter = 0
local function fresh(prefix)
  counter = counter + 1
  return prefix .. counter
end

-- Cost model: `mult` is how often the statement being generated runs.
local BUDGET = 250000
local HOTFAM_PCT = 35   -- hot loops that get the construct families
local cost = 0
local mult = 1
local loopdepth = 0
local labels = {}      -- continue label of each enclosing loop (or false)
local simple = false   -- inside a hot loop: only what the recorder compiles
local hotfam = false   -- ... except the construct families (family "hot")

-- -- Expressions ------------------------------------------------------------

local INT_LITS = {"0", "1", "-1", "2", "3", "7", "-7", "13", "100", "255",
  "1000", "math.maxinteger", "math.mininteger", "(1 << 62)", "0x7fffffff",
  "9007199254740993", "-65536"}
local FLT_LITS = {"0.5", "-0.0", "1e300", "-1e300", "1.5", "-7.25", "0.1",
  "2^53", "2^63", "-2^63", "1e-300", "math.huge", "-math.huge", "3.0",
  "(0.0/0.0)"}
local NZ_INT = {"1", "-1", "2", "3", "7", "-7", "16", "1000"}
local STR_LITS = {'"7"', '"12"', '"0"', '"-3"', '"0.5"', '"42"', '"1e2"',
  '"0x10"', '" 5 "'}
local WORD_LITS = {'"a"', '"xy"', '"z9"', '""', '"nan"', '"10"', '"-"'}

local expr -- forward
local fam_expr -- forward: an expression from a construct family, or nil
local famdepth = 0
local function try_fam(cls, d, pct)
  if famdepth >= 2 or not chance(pct * FAMSCALE // 100) then return nil end
  famdepth = famdepth + 1
  local e = fam_expr(cls, d)
  famdepth = famdepth - 1
  return e
end

local function atom_of(cls)
  local vs = vars_of(cls)
  if #vs > 0 and chance(75) then return pick(vs).name end
  return nil
end

local function int_expr(d)
  if d <= 0 or chance(30) then
    local fe = try_fam("int", d, 8)
    if fe then return fe end
    local v = atom_of("int")
    if v then return v end
    local r = rand(10)
    if r == 0 then
      local ts = vars_of("tab")
      if #ts > 0 then return "#" .. pick(ts).name end
    elseif r == 1 then
      local ss = vars_of("str")
      if #ss > 0 then return "#" .. pick(ss).name end
    end
    return pick(INT_LITS)
  end
  local a, b = int_expr(d - 1), int_expr(d - 1)
  local r = rand(16)
  if r < 3 then return "(" .. a .. " + " .. b .. ")"
  elseif r < 5 then return "(" .. a .. " - " .. b .. ")"
  elseif r < 6 then return "(" .. a .. " * " .. b .. ")"
  elseif r < 7 then return "(" .. a .. " // " .. pick(NZ_INT) .. ")"
  elseif r < 8 then return "(" .. a .. " % " .. pick(NZ_INT) .. ")"
  elseif r < 9 then
    local op = pick({"//", "%"})
    return "(" .. b .. " ~= 0 and " .. a .. " " .. op .. " " .. b .. " or " .. a .. ")"
  elseif r < 13 then
    local op = pick({"&", "|", "~", "<<", ">>"})
    return "(" .. a .. " " .. op .. " " .. b .. ")"
  elseif r < 14 then return "(~" .. a .. ")"
  elseif r < 15 then return "(- " .. a .. ")"
  else return "math.max(" .. a .. ", " .. b .. ")"
  end
end

local function index_expr(t, d)
  -- an index in 1..#t (tables are never empty), sometimes a float key
  local e = "(" .. int_expr(d) .. ") % #" .. t .. " + 1"
  if chance(10) then e = e .. ".0" end
  return e
end

local function num_expr(d)
  if d <= 0 or chance(25) then
    local fe = try_fam("num", d, 10)
    if fe then return fe end
    local r = rand(10)
    if r < 4 then
      local v = atom_of("num")
      if v then return v end
    elseif r < 6 then
      return int_expr(0)
    elseif r < 7 then
      local ts = vars_of("tab")
      if #ts > 0 then
        local t = pick(ts).name
        if chance(30) then return t .. ".f" end
        if chance(20) then return t .. "[#" .. t .. "]" end
        return t .. "[" .. index_expr(t, 1) .. "]"
      end
    elseif r < 8 then
      local ns = vars_of("numstr")
      if #ns > 0 then return "(" .. pick(ns).name .. " + 0)" end
    end
    return chance(50) and pick(FLT_LITS) or pick(INT_LITS)
  end
  local a, b = num_expr(d - 1), num_expr(d - 1)
  local r = rand(20)
  if r < 4 then return "(" .. a .. " + " .. b .. ")"
  elseif r < 7 then return "(" .. a .. " - " .. b .. ")"
  elseif r < 10 then return "(" .. a .. " * " .. b .. ")"
  elseif r < 12 then return "(" .. a .. " / " .. b .. ")"
  elseif r < 13 then return "((" .. a .. ") ^ " .. pick({"2", "0.5", "-1", "3"}) .. ")"
  elseif r < 14 then return "(" .. a .. " // " .. pick(NZ_INT) .. ")"
  elseif r < 15 then return "(" .. a .. " % " .. pick({"1", "-1", "3", "7", "0.5", "2.5"}) .. ")"
  elseif r < 16 then
    local op = pick({"//", "%"})
    return "(" .. b .. " ~= 0 and " .. a .. " " .. op .. " " .. b .. " or " .. a .. ")"
  elseif r < 17 then return "(- " .. a .. ")"
  elseif r < 18 then return pick({"math.floor", "math.abs", "math.sqrt"}) .. "(" .. a .. ")"
  elseif r < 19 then
    local ns = vars_of("numstr")
    if #ns > 0 then return "(" .. pick(ns).name .. " * " .. a .. ")" end
    return "(" .. a .. " + " .. b .. ")"
  else
    return "(" .. expr("cond", d - 1) .. " and " .. a .. " or " .. b .. ")"
  end
end

local function str_expr(d)
  local fe = try_fam("str", d, 15)
  if fe then return fe end
  if d <= 0 or chance(30) then
    local v = atom_of("str")
    if v then return v end
    return chance(50) and pick(WORD_LITS) or pick(STR_LITS)
  end
  -- numbers that may be NaN go through ts(): the sign of a NaN (printed
  -- "nan" or "-nan") is unspecified and would make false alarms
  local r = rand(8)
  if r < 2 then return "(" .. str_expr(d - 1) .. " .. ts(" .. num_expr(d - 1) .. "))"
  elseif r < 3 then return "(" .. str_expr(d - 1) .. " .. " .. int_expr(d - 1) .. ")"
  elseif r < 4 then return "(ts(" .. num_expr(d - 1) .. ") .. " .. str_expr(d - 1) .. ")"
  elseif r < 5 then return "ts(" .. num_expr(d - 1) .. ")"
  elseif r < 6 then return "string.format(\"%d\", " .. int_expr(d - 1) .. ")"
  elseif r < 7 then return "(" .. str_expr(d - 1) .. "):sub(" .. range(-3, 3) .. ")"
  else
    local ns = vars_of("numstr")
    if #ns > 0 then return "(" .. pick(ns).name .. " .. \"\")" end
    return "(" .. str_expr(d - 1) .. " .. " .. str_expr(d - 1) .. ")"
  end
end

-- numstr values stay finite and short (int, simple float or numeric string)
local function numstr_expr(d)
  local r = rand(8)
  local ns = vars_of("numstr")
  if r < 2 and #ns > 0 then return pick(ns).name .. " + " .. pick({"1", "-1", "0.5", "2"}) end
  if r < 3 and #ns > 0 then return "tostring(" .. pick(ns).name .. ")" end
  if r < 4 then return pick(STR_LITS) end
  if r < 5 then return "tostring(" .. int_expr(d) .. ")" end
  if r < 6 then return pick({"0.5", "-2.5", "1e15", "3.0"}) end
  return int_expr(d)
end

local function any_expr(d)
  local r = rand(8)
  if r == 0 then return "nil"
  elseif r == 1 then return "true"
  elseif r == 2 then return "false"
  elseif r == 3 then return "(" .. expr("cond", d) .. ")"
  elseif r == 4 then return str_expr(0)
  elseif r == 5 then
    local as = vars_of("any")
    if #as > 0 then return pick(as).name end
    return "nil"
  else return int_expr(d)
  end
end

local function cond_expr(d)
  local fe = try_fam("cond", d, 8)
  if fe then return fe end
  local r = rand(16)
  if d > 0 and r == 0 then return "(" .. cond_expr(d - 1) .. " and " .. cond_expr(d - 1) .. ")" end
  if d > 0 and r == 1 then return "(" .. cond_expr(d - 1) .. " or " .. cond_expr(d - 1) .. ")" end
  if d > 0 and r == 2 then return "not (" .. cond_expr(d - 1) .. ")" end
  if r < 6 then
    local ops = {"<", "<=", ">", ">=", "==", "~="}
    if simple then ops = {"<", "<=", ">", ">="} end
    return num_expr(d - 1) .. " " .. pick(ops) .. " " .. num_expr(d - 1)
  elseif r < 9 then
    return int_expr(d - 1) .. " " .. pick({"<", "<=", ">", ">=", "==", "~="}) .. " " .. int_expr(d - 1)
  elseif r < 10 then
    return "(" .. int_expr(d - 1) .. ") % " .. range(2, 9) .. " == " .. range(0, 1)
  elseif r < 11 then
    return str_expr(d - 1) .. " " .. pick({"<", "<=", "==", "~="}) .. " " .. str_expr(d - 1)
  elseif r < 12 then
    local as = vars_of("any")
    if #as > 0 then
      local a = pick(as).name
      return pick({a, "(not " .. a .. ")", a .. " == nil", a .. " == true", a .. " == " .. int_expr(0)})
    end
  elseif r < 13 then
    local ns = vars_of("numstr")
    if #ns > 0 then
      local a = pick(ns).name
      return pick({a .. " == " .. pick(STR_LITS), a .. " == " .. int_expr(0),
        "math.type(" .. a .. ") == \"float\"", "type(" .. a .. ") == \"string\""})
    end
  elseif r < 14 then
    local v = num_expr(d - 1)
    return pick({v .. " ~= " .. v, "math.type(" .. v .. ") == \"integer\""})
  end
  return pick({"true", "false", int_expr(0) .. " == " .. int_expr(0)})
end

function expr(cls, d)
  if cls == "int" then return int_expr(d)
  elseif cls == "num" then return num_expr(d)
  elseif cls == "str" then return str_expr(d)
  elseif cls == "numstr" then return numstr_expr(d)
  elseif cls == "any" then return any_expr(d)
  elseif cls == "cond" then return cond_expr(d)
  end
  error("no class " .. tostring(cls))
end

-- -- Statements -------------------------------------------------------------

local block -- forward
local funcs = {}  -- {name, params = {cls...}, ret = cls, cost}

local function call_expr(want)
  local cands = {}
  for k = 1, #funcs do
    local f = funcs[k]
    if f.ret == want and f.cost * mult + cost < BUDGET then cands[#cands + 1] = f end
  end
  if #cands == 0 then return nil end
  local f = pick(cands)
  local args = {}
  for k = 1, #f.params do args[k] = expr(f.params[k], 1) end
  cost = cost + f.cost * mult
  return f.name .. "(" .. table.concat(args, ", ") .. ")"
end

-- Loop header: returns header text, loop variable (or nil), its class, trip
-- count, and the integer values the variable takes (first, step) if integer.
local function loop_trips()
  local r = rand(10)
  local cap = (BUDGET - cost) // (mult * 8 + 1)
  local n
  if r == 0 then n = 0
  elseif r == 1 then n = 1
  elseif r < 5 then n = range(2, 12)
  else n = range(50, 2000) end
  if n > cap then n = math.max(0, math.min(cap, range(0, 12))) end
  return n
end

local function stmt_typechange(lv, first, step, n)
  -- a guard that fails mid-loop: change a variable's type on one iteration
  local k = first + step * rand(math.max(n, 1))
  local vs = assignable("num")
  local ns = assignable("numstr")
  local ts = vars_of("tab")
  local r = rand(4)
  local body
  if r == 0 and #vs > 0 then
    local v = pick(vs).name
    body = v .. " = " .. v .. pick({" + 0.5", " / 2", " * 1.0", " + 1e300"})
  elseif r == 1 and #ns > 0 then
    local v = pick(ns).name
    body = v .. " = " .. pick({"tostring(" .. v .. ")", v .. " + 0.5", v .. " .. \"\""})
  elseif r == 2 and #ts > 0 then
    local t = pick(ts).name
    body = t .. "[" .. index_expr(t, 0) .. "] = " .. pick({"0.5", "-0.0", "1e300", "math.mininteger"})
  elseif #vs > 0 then
    local v = pick(vs).name
    body = v .. " = " .. pick({"-0.0", "0.5", "math.maxinteger", "(0.0/0.0)"})
  else
    return
  end
  local cmp = chance(70) and "==" or pick({">=", "<"})
  emit("if " .. lv .. " " .. cmp .. " " .. k .. " then " .. body .. " end")
end

local function loop_body(lv, lvcls, first, step, n, label)
  local saved = mult
  mult = mult * math.max(n, 1)
  loopdepth = loopdepth + 1
  labels[#labels + 1] = label or false
  indent = indent + 1
  if lv and lvcls == "int" and chance(60) then stmt_typechange(lv, first, step, n) end
  block(range(2, 7))
  if lv and lvcls == "int" and chance(8) then emit(lv .. " = " .. lv .. " + 1") end
  if label then emit("::" .. label .. "::") end
  indent = indent - 1
  labels[#labels] = nil
  loopdepth = loopdepth - 1
  mult = saved
end

local function stmt_for()
  local n = loop_trips()
  local lv = fresh("i")
  local label = chance(30) and fresh("cont") or nil
  local r = rand(10)
  local header, cls, first, step
  if r < 5 then
    first = pick({0, 1, 1, -5, 10})
    step = 1
    if chance(30) then step = pick({2, 3, -1, -2, 7}) end
    local last = first + step * (n - 1)
    header = "for " .. lv .. " = " .. first .. ", " .. last
    if step ~= 1 then header = header .. ", " .. step end
    cls = "int"
  elseif r < 6 then
    -- near the ends of the integer range: must not overflow
    n = math.min(n, 6)
    if chance(50) then
      first = math.maxinteger - n + 1; step = 1
      header = "for " .. lv .. " = math.maxinteger - " .. (n - 1) .. ", math.maxinteger"
    else
      first = math.mininteger + n - 1; step = -1
      header = "for " .. lv .. " = math.mininteger + " .. (n - 1) .. ", math.mininteger, -1"
    end
    if n == 0 then header = "for " .. lv .. " = math.maxinteger, math.maxinteger - 1" end
    cls = "int"
  elseif r < 8 then
    local st = pick({0.5, 0.25, -0.5, 1.5, -0.125})
    local f0 = pick({0, 0.5, 1, -3})
    header = "for " .. lv .. " = " .. f0 .. ", " .. (f0 + st * (n - 1) + st / 4) .. ", " .. st
    cls = "num"
  elseif r < 9 then
    -- float limit with integer start: the limit is floored
    first = 1; step = 1
    header = "for " .. lv .. " = 1, " .. n .. ".75"
    cls = "int"
  else
    -- limit from a variable, clamped
    local vs = vars_of("int")
    n = math.min(n, 30)
    local lim = #vs > 0 and pick(vs).name or "7"
    first = 1; step = 1
    header = "for " .. lv .. " = 1, math.min(" .. lim .. ", " .. n .. ")"
    cls = "int"
  end
  emit(header .. " do")
  declare(lv, cls, true)
  local mark = #scope
  loop_body(lv, cls, first or 0, step or 1, n, label)
  for k = #scope, mark, -1 do scope[k] = nil end
  emit("end")
end

-- An innermost integer loop with many iterations and a body the recorder
-- can compile, with guards that fail part-way (type changes on one
-- iteration, or from one iteration on).
local function stmt_hotloop()
  local n = range(30, 1500)
  local cap = (BUDGET - cost) // (mult * 10 + 1)
  if n > cap then n = math.max(0, math.min(cap, range(0, 12))) end
  local lv = fresh("i")
  local label = chance(25) and fresh("cont") or nil
  local first = pick({1, 1, 0, -20})
  local step = pick({1, 1, 1, 2, -1, 3})
  local header = "for " .. lv .. " = " .. first .. ", " .. (first + step * (n - 1))
  if step ~= 1 then header = header .. ", " .. step end
  emit(header .. " do")
  declare(lv, "int", true)
  local mark = #scope
  local saved = mult
  mult = mult * math.max(n, 1)
  loopdepth = loopdepth + 1
  labels[#labels + 1] = label or false
  indent = indent + 1
  simple = true
  -- most hot loops stay within what today's recorder compiles; the others
  -- also get the families' constructs
  local saved_hotfam = hotfam
  hotfam = FAM.hot and chance(HOTFAM_PCT)
  for _ = 1, range(1, 2) do stmt_typechange(lv, first, step, n) end
  block(range(3, 8), 1)
  if chance(30) then stmt_typechange(lv, first, step, n) end
  simple = false
  hotfam = saved_hotfam
  if label then emit("::" .. label .. "::") end
  indent = indent - 1
  labels[#labels] = nil
  loopdepth = loopdepth - 1
  mult = saved
  for k = #scope, mark, -1 do scope[k] = nil end
  emit("end")
end

local function stmt_while()
  local n = loop_trips()
  local c = fresh("w")
  local label = chance(30) and fresh("cont") or nil
  -- the counter lives in a do-block: a goto past it (to a label before
  -- `until`) must not jump into its scope
  emit("do")
  indent = indent + 1
  emit("local " .. c .. " = 0")
  declare(c, "int", true)
  local mark = #scope
  if chance(50) then
    emit("while " .. c .. " < " .. n .. " do")
    indent = indent + 1; emit(c .. " = " .. c .. " + 1"); indent = indent - 1
    loop_body(c, "int", 1, 1, n, label)
    emit("end")
  elseif chance(50) then
    emit("repeat")
    indent = indent + 1; emit(c .. " = " .. c .. " + 1"); indent = indent - 1
    loop_body(c, "int", 1, 1, n, label)
    emit("until " .. c .. " >= " .. n)
  else
    emit("while true do")
    indent = indent + 1
    emit(c .. " = " .. c .. " + 1")
    emit("if " .. c .. " > " .. n .. " then break end")
    indent = indent - 1
    loop_body(c, "int", 1, 1, n, label)
    emit("end")
  end
  for k = #scope, mark, -1 do scope[k] = nil end
  indent = indent - 1
  emit("end")
end

local function stmt_assign()
  local r = rand(12)
  local classes = {"num", "num", "num", "int", "int", "numstr", "str", "any"}
  local cls = pick(classes)
  local vs = assignable(cls)
  if #vs == 0 then return false end
  local v = pick(vs).name
  if cls == "num" and r < 3 then
    local c = call_expr("num")
    if c then emit(v .. " = " .. c); return true end
  end
  if cls == "int" and r < 2 then
    local c = call_expr("int")
    if c then emit(v .. " = " .. c); return true end
  end
  if cls == "str" then
    emit(v .. " = " .. str_expr(2))
    emit("if #" .. v .. " > 40 then " .. v .. " = " .. v .. ":sub(-" .. range(5, 20) .. ") end")
    return true
  end
  if (cls == "num" or cls == "int") and r < 8 then
    -- loop-carried update
    local op = cls == "num" and pick({"+", "-", "*", "+", "/"}) or pick({"+", "-", "~", "+", "*"})
    emit(v .. " = " .. v .. " " .. op .. " " .. expr(cls, 2))
    return true
  end
  emit(v .. " = " .. expr(cls, 2))
  return true
end

local function stmt_table()
  local ts = vars_of("tab")
  if #ts == 0 then return false end
  local t = pick(ts).name
  local r = rand(4)
  if r == 0 then
    emit("if #" .. t .. " < " .. range(8, 64) .. " then " .. t .. "[#" .. t .. " + 1] = " .. num_expr(1) .. " end")
  elseif r == 1 then
    emit(t .. ".f = " .. t .. ".f + " .. num_expr(1))
  else
    emit(t .. "[" .. index_expr(t, 1) .. "] = " .. num_expr(2))
  end
  return true
end

local function stmt_if(depthleft)
  emit("if " .. cond_expr(2) .. " then")
  indent = indent + 1; block(range(1, 3), depthleft); indent = indent - 1
  local k = rand(3)
  for _ = 1, k - 1 do
    emit("elseif " .. cond_expr(2) .. " then")
    indent = indent + 1; block(range(1, 2), depthleft); indent = indent - 1
  end
  if chance(40) then
    emit("else")
    indent = indent + 1; block(range(1, 2), depthleft); indent = indent - 1
  end
  emit("end")
end

local function stmt_exit()
  if loopdepth == 0 then return false end
  local label = labels[#labels]
  if label and chance(60) then
    emit("if " .. cond_expr(1) .. " then goto " .. label .. " end")
  else
    emit("if " .. cond_expr(1) .. " then break end")
  end
  return true
end

local function stmt_pcall()
  local ns = assignable("num")
  local as = assignable("any")
  if #ns == 0 or #as == 0 then return false end
  local v, a = pick(ns).name, pick(as).name
  if chance(70) then
    emit("do")
    indent = indent + 1
    emit("local ok, e = pcall(risky, " .. int_expr(1) .. ")")
    emit("if ok then " .. v .. " = " .. v .. " + e else nerr = nerr + 1; " .. a ..
      " = type(e) == \"table\" and \"T\" .. e.code or e end")
    indent = indent - 1
    emit("end")
  else
    -- a runtime error whose message names a variable
    local bad = pick({"nil + 1", "nerr .. {}", "#nerr", "nerr()", "(\"x\" .. nerr) + 1", "nerr < \"1\""})
    emit("do local ok, e = pcall(function() return " .. bad .. " end); " .. a .. " = tostring(ok) .. \" \" .. e end")
  end
  cost = cost + 2 * mult
  return true
end

local function stmt_closure()
  local ns = assignable("num")
  if #ns == 0 then return false end
  local v = pick(ns).name
  local r = rand(3)
  if r == 0 then
    -- a closure made in the loop capturing a loop-carried variable
    emit("do local g = function(z) " .. v .. " = " .. v .. " + z; return " .. v .. " end; g(" .. int_expr(0) .. ") end")
  elseif r == 1 then
    emit("if #fns < 20 then local c = " .. num_expr(1) .. "; fns[#fns + 1] = function() return c + " .. v .. " end end")
  else
    emit("bump(" .. num_expr(1) .. ")")
  end
  cost = cost + 2 * mult
  return true
end

local function stmt_swap()
  for _, cls in ipairs({"num", "int", "str"}) do
    local vs = assignable(cls)
    if #vs >= 2 and chance(50) then
      local a, b = pick(vs).name, pick(vs).name
      if a ~= b then emit(a .. ", " .. b .. " = " .. b .. ", " .. a); return true end
    end
  end
  return false
end

local function stmt_print()
  if loopdepth == 0 then return false end
  local vs = vars_of(pick({"num", "int", "numstr", "str", "any"}))
  if #vs == 0 then return false end
  emit("if " .. cond_expr(1) .. " and nprint < 30 then nprint = nprint + 1; print(\"p\", (fmt(" .. pick(vs).name .. "))) end")
  return true
end

local function stmt_local()
  -- a short-lived local in a do-block (so goto never jumps into its scope)
  local cls = pick({"num", "int", "str"})
  local name = fresh("l")
  emit("do")
  indent = indent + 1
  emit("local " .. name .. " = " .. expr(cls, 2))
  declare(name, cls)
  local mark = #scope
  block(range(1, 2), 0)
  scope[mark] = nil
  indent = indent - 1
  emit("end")
  return true
end

-- -- Construct families -----------------------------------------------------
--
-- Calls with varargs and multiple results, tail calls, recursion, methods
-- and metatables, closures, string functions, pairs/next/ipairs, coroutines
-- and errors raised in callees. Their helper functions are emitted in the
-- prelude (prelude_families below). Calls with side effects (methods that
-- change their object, counters, coroutine resumes) appear only as the
-- whole right-hand side of an assignment or as statements, never next to
-- an operand they change: the order in which Lua evaluates operands is
-- unspecified.

local function fam_ok() return not simple or hotfam end
local function addcost(c) cost = cost + c * mult end
local function var_of(cls)
  local vs = vars_of(cls)
  if #vs == 0 then return nil end
  return pick(vs).name
end
local function avar_of(cls)
  local vs = assignable(cls)
  if #vs == 0 then return nil end
  return pick(vs).name
end
local OBJ_MTS = {"MA", "MB", "MC", "MD", "ME"}
local DICT_KEYS = {"alpha", "beta", "gamma", "delta"}

local FX = {}   -- FX[family][class](d) -> expression or nil

FX.calls = {
  int = function(d)
    local N = function() return num_expr(d) end
    local I = function() return int_expr(d) end
    local r = rand(13)
    if r == 0 then return "va_n(mr3(" .. N() .. "))"
    elseif r == 1 then return "va_n(mr0())"
    elseif r == 2 then return "va_n(mr0(), mr0())"
    elseif r == 3 then return "va_n(" .. N() .. ", mr3(" .. N() .. "), " .. N() .. ")"
    elseif r == 4 then return "va_n(va_pass(nil, " .. I() .. ", nil))"
    elseif r == 5 then return "select(\"#\", mr3(" .. N() .. "), " .. N() .. ")"
    elseif r == 6 then return "va_pack(mr2(" .. N() .. ", nil))"
    elseif r == 7 then return "#{mr3(" .. N() .. ")}"
    elseif r == 8 then addcost(50); return "tc_sum(" .. I() .. " % 50, " .. I() .. ")"
    elseif r == 9 then addcost(64); return "tc_even(" .. I() .. " % 64)"
    elseif r == 10 then return "math.max(" .. I() .. ", va_pass(" .. I() .. ", " .. I() .. "))"
    elseif r == 11 then return "(select(-1, mr2(" .. I() .. ", " .. I() .. ")))"
    else
      local t = var_of("tab")
      if t then addcost(20); return "va_n(table.unpack(" .. t .. "))" end
    end
  end,
  num = function(d)
    local N = function() return num_expr(d) end
    local r = rand(10)
    if r == 0 then return "va_sum(" .. N() .. ", mr3(" .. N() .. "))"
    elseif r == 1 then return "va_sum(mr3(" .. N() .. "), " .. N() .. ")"
    elseif r == 2 then return "va_sum(va_pass(" .. N() .. ", nil, " .. N() .. "))"
    elseif r == 3 then return "(mr3(" .. N() .. "))"
    elseif r == 4 then return "(select(2, mr3(" .. N() .. ")))"
    elseif r == 5 then return "(select(-1, mr3(" .. N() .. ")))"
    elseif r == 6 then addcost(8); return "va_tail(" .. int_expr(d) .. " % 5, " .. N() .. ", " .. N() .. ")"
    elseif r == 7 then return "(mr2(" .. N() .. ", " .. N() .. "))"
    elseif r == 8 then return "(va_mid(" .. N() .. ", " .. N() .. ", " .. N() .. "))"
    else
      local t = var_of("tab")
      if t then return "va_sum(table.unpack(" .. t .. ", 1, math.min(#" .. t .. ", 4)))" end
    end
  end,
  str = function(d)
    local r = rand(3)
    local I = function() return int_expr(d) end
    if r == 0 then return "string.format(\"%d|%d\", mr2(" .. I() .. ", " .. I() .. "))"
    elseif r == 1 then return "table.concat({mr3(" .. I() .. ")}, \",\")"
    else return "string.format(\"%s:%s\", va_pass(" .. str_expr(d) .. ", " .. str_expr(d) .. "))"
    end
  end,
}

FX.recur = {
  int = function(d)
    local I = function() return int_expr(d) end
    local r = rand(8)
    if r == 0 then addcost(300); return "fibr(" .. I() .. " % 12)"
    elseif r == 1 then addcost(160); return "tak(" .. I() .. " % 6, " .. I() .. " % 6, " .. I() .. " % 6)"
    elseif r == 2 then addcost(90); return "ack(" .. I() .. " % 3, " .. I() .. " % 6)"
    elseif r == 3 then addcost(130); return "walk(tree)"
    elseif r == 4 then addcost(130); return "tcount(tree)"
    elseif r == 5 then return "tnode(tree, " .. I() .. " % 64).v"
    else
      local t = var_of("tab")
      if not t then return nil end
      addcost(64)
      if r == 6 then return "(rcount(" .. t .. ", 1, 0, 0))" end
      return "select(2, rcount(" .. t .. ", 1, 0, " .. I() .. "))"
    end
  end,
  num = function(d)
    local t = var_of("tab")
    if t and chance(50) then addcost(64); return "rsum(" .. t .. ", 1)" end
    addcost(160)
    return "(tak(" .. int_expr(d) .. " % 6, 2, 1) + " .. num_expr(d) .. ")"
  end,
}

FX.meta = {
  num = function(d)
    local o = var_of("obj")
    if not o then return nil end
    local o2 = var_of("obj")
    local r = rand(10)
    if r == 8 then return "(" .. o .. " / " .. num_expr(d) .. ").v"
    elseif r == 9 then return "(" .. o .. " ^ " .. pick({"2", "0.5", o2}) .. "):get()"
    elseif r == 0 then return o .. ":get()"
    elseif r == 1 then return o .. ".v"
    elseif r == 2 then return o .. "(" .. num_expr(d) .. ")"
    elseif r == 3 then return "(" .. o .. " + " .. num_expr(d) .. "):get()"
    elseif r == 4 then return "(" .. num_expr(d) .. " - " .. o .. ").v"
    elseif r == 5 then return "(" .. o .. " * " .. o2 .. ").v"
    elseif r == 6 then return "(-" .. o .. "):get()"
    else return "(" .. o .. ".w or 0)"
    end
  end,
  int = function()
    local o = var_of("obj")
    if not o then return nil end
    return "#" .. o
  end,
  str = function(d)
    local o = var_of("obj")
    if not o then return nil end
    local r = rand(3)
    if r == 0 then return "(" .. o .. " .. " .. str_expr(d) .. ")"
    elseif r == 1 then return "(" .. str_expr(d) .. " .. " .. o .. ")"
    else return "(" .. o .. " .. " .. int_expr(d) .. ")"
    end
  end,
  cond = function(d)
    local o = var_of("obj")
    if not o then return nil end
    local o2 = var_of("obj")
    local r = rand(7)
    if r == 0 then return o .. " < " .. o2
    elseif r == 1 then return o .. " <= " .. num_expr(d)
    elseif r == 2 then return num_expr(d) .. " < " .. o
    elseif r == 3 then return o .. " == " .. o2
    elseif r == 4 then return o .. " ~= " .. o2
    elseif r == 5 then return "rawequal(" .. o .. ", " .. o2 .. ")"
    else return "getmetatable(" .. o .. ") == " .. pick(OBJ_MTS)
    end
  end,
}

FX.clos = {
  num = function() return "ctr_get()" end,
}

FX.str = {
  int = function(d)
    local s = var_of("str")
    if not s then return nil end
    local r = rand(6)
    if r == 0 then return "#" .. s
    elseif r == 1 then return s .. ":len()"
    elseif r == 2 then return "(string.byte(" .. s .. ", " .. int_expr(d) .. ") or -1)"
    elseif r == 3 then return "(" .. s .. ":byte(-1) or 0)"
    elseif r == 4 then return "select(\"#\", string.byte(" .. s .. ", 1, -1))"
    else return "string.len(" .. s .. ":rep(2))"
    end
  end,
  num = function()
    local s = var_of("str")
    local ns = var_of("numstr")
    local r = rand(4)
    if r == 0 and ns then return "tonumber(" .. ns .. ")" end
    if not s then return nil end
    if r == 1 then return "(tonumber(" .. s .. ") or 0)"
    elseif r == 2 then return "(tonumber(" .. s .. ", 16) or -1)"
    else return "(tonumber(" .. s .. ", 36) or 0.5)"
    end
  end,
  str = function(d)
    local S = function() return str_expr(d) end
    local I = function() return int_expr(d) end
    local r = rand(16)
    if r == 0 then return "string.char(65 + " .. I() .. " % 26, 48 + " .. I() .. " % 10)"
    elseif r == 1 then return "(" .. S() .. "):rep(" .. I() .. " % 3)"
    elseif r == 2 then return "string.rep(" .. S() .. ", " .. I() .. " % 3, \",\")"
    elseif r == 3 then return "(" .. S() .. "):sub(" .. I() .. ", " .. I() .. ")"
    elseif r == 4 then return "string.sub(" .. S() .. ", " .. I() .. ")"
    elseif r == 5 then return "string.format(\"%5.1f\", " .. I() .. ")"
    elseif r == 6 then return "string.format(\"%x\", " .. I() .. ")"
    elseif r == 7 then return "string.format(\"%q\", " .. I() .. ")"
    elseif r == 8 then return "string.format(\"%s|%d\", " .. S() .. ", " .. I() .. ")"
    elseif r == 9 then return "tostring(" .. I() .. ")"
    elseif r == 10 then return "tostring(" .. I() .. " / 4)"
    elseif r == 11 then return "((" .. I() .. " / 8) .. " .. S() .. ")"
    elseif r == 12 then return "(" .. I() .. " .. " .. S() .. ")"
    elseif r == 13 then return "(" .. S() .. "):upper()"
    elseif r == 14 then return "string.format(\"%g\", " .. I() .. " / 4)"
    else return "(" .. S() .. "):reverse()"
    end
  end,
  cond = function(d)
    local s = var_of("str")
    if not s then return nil end
    local r = rand(5)
    if r == 0 then return s .. ":sub(1, 1) == \"a\""
    elseif r == 1 then return "#" .. s .. " > " .. int_expr(d)
    elseif r == 2 then return s .. ":find(\"a\", 1, true) ~= nil"
    elseif r == 3 then return "tostring(" .. int_expr(d) .. ") == " .. s
    else return s .. " < tostring(" .. int_expr(d) .. ")"
    end
  end,
}

FX.iter = {
  int = function()
    local r = rand(2)
    if r == 0 then return "(dict.alpha + dict.gamma)" end
    local t = var_of("tab")
    if t then return "select(\"#\", ipairs(" .. t .. "))" end
  end,
}

FX.coro = {
  cond = function()
    return "coroutine.status(co_gen_co) == \"suspended\""
  end,
}

-- fam_expr: an expression of class cls from a random enabled family, or nil
local FAM_EXPR_ORDER = {"calls", "recur", "meta", "clos", "str", "iter", "coro"}
function fam_expr(cls, d)
  if not fam_ok() then return nil end
  local fs = {}
  for _, f in ipairs(FAM_EXPR_ORDER) do
    if FAM[f] and FX[f][cls] then fs[#fs + 1] = f end
  end
  if #fs == 0 then return nil end
  return FX[pick(fs)][cls](math.max(d - 1, 0))
end

-- -- Family statements

local FS = {}

function FS.calls()
  local r = rand(6)
  local xs = assignable("num")
  if r == 0 and #xs >= 2 then
    local a, b = pick(xs).name, pick(xs).name
    if a ~= b then emit(a .. ", " .. b .. " = mr3(" .. num_expr(1) .. ")"); return true end
  elseif r == 1 and #xs >= 2 then
    local a, b = pick(xs).name, pick(xs).name
    if a ~= b then emit(a .. ", " .. b .. " = mr2(" .. b .. ", " .. a .. ")"); return true end
  elseif r == 2 then
    local a, x = avar_of("any"), avar_of("num")
    if a and x then
      if chance(50) then emit(a .. " = mr0()")
      else emit(x .. ", " .. a .. " = " .. num_expr(1) .. ", mr0()") end
      return true
    end
  elseif r == 3 then
    local x = avar_of("num")
    if x then
      emit("do local p, q, r = mr3(" .. num_expr(1) .. "); " .. x .. " = " .. x .. " + r - p end")
      return true
    end
  elseif r == 4 then
    emit("mr3(" .. num_expr(1) .. ")")
    return true
  else
    local x = avar_of("num")
    if x then
      emit("do local t = {va_pass(" .. num_expr(1) .. ", " .. num_expr(1) .. ", mr3(" ..
        num_expr(1) .. "))}; " .. x .. " = " .. x .. " - t[#t] end")
      return true
    end
  end
  return false
end

function FS.recur()
  local r = rand(3)
  if r == 0 then
    emit("tnode(tree, " .. int_expr(1) .. " % 64).v = " .. int_expr(1))
  elseif r == 1 then
    emit("do local nd = tnode(tree, " .. int_expr(1) .. " % 32); if nd.l then nd.l, nd.r = nd.r, nd.l end end")
  else
    local n = avar_of("int")
    if not n then return false end
    emit(n .. " = " .. n .. " + " .. FX.recur.int(1))
  end
  return true
end

-- a variable that changes type or metatable on one iteration: `if LV == K`
local function mid_loop_guard()
  for k = #scope, 1, -1 do
    local v = scope[k]
    if v.loopvar and v.cls == "int" and chance(60) then
      return "if " .. v.name .. " % " .. range(3, 40) .. " == " .. range(0, 2) .. " then ", " end"
    end
  end
  return "", ""
end

function FS.meta()
  local o = avar_of("obj")
  if not o then return false end
  local r = rand(11)
  if r == 0 then
    emit(o .. ":add(" .. num_expr(1) .. ")")
  elseif r == 1 then
    -- the second argument is a literal: it is evaluated after the first
    -- call, which changes the object
    emit(o .. ":add(" .. num_expr(1) .. "):add(" .. pick({"1", "0.5", "-2", "1e300"}) .. ")")
  elseif r == 2 then
    local x = avar_of("num")
    if not x then return false end
    emit(x .. " = " .. o .. ":scale(" .. num_expr(1) .. ")")
  elseif r == 3 then
    local o2 = var_of("obj")
    emit(o .. " = " .. pick({o .. " + " .. num_expr(1), num_expr(1) .. " - " .. o,
      o .. " * " .. o2, "-" .. o}))
  elseif r == 4 then
    emit(o .. ".v = " .. num_expr(2))
  elseif r == 5 then
    emit(o .. ".w = " .. num_expr(1))
  elseif r == 6 then
    local pre, post = mid_loop_guard()
    emit(pre .. "setmetatable(" .. o .. ", " .. pick(OBJ_MTS) .. ")" .. post)
  elseif r == 7 then
    -- methods redefined / __index changed (mid-loop when in a loop)
    local pre, post = mid_loop_guard()
    emit(pre .. pick({"Base.add = add2", "Base.add = add1", "Base.get = get2",
      "Mid.scale = Base.scale", "Mid.scale = scale2", "MA.__index = Mid",
      "MA.__index = Base", "MC.__index = Mid", "MC.__index = idxfn"}) .. post)
  elseif r == 8 then
    local n = avar_of("int")
    if not n then return false end
    emit(n .. " = " .. n .. " + #" .. o)
  else
    local x = avar_of("num")
    if not x then return false end
    emit(x .. " = " .. x .. " + " .. FX.meta.num(1))
  end
  addcost(4)
  return true
end

function FS.clos()
  local x = avar_of("num")
  if not x then return false end
  local r = rand(5)
  if r == 0 then
    emit("do local u = " .. num_expr(1) .. "; local function inc(d) u = u + d; return u end; " ..
      x .. " = " .. x .. " + inc(" .. num_expr(1) .. "); u = u * 0.5; local r = inc(1); " ..
      x .. " = " .. x .. " + r + u end")
  elseif r == 1 then
    -- a closure capturing the innermost loop variable
    local lv
    for k = #scope, 1, -1 do
      if scope[k].loopvar and (scope[k].cls == "int" or scope[k].cls == "num") then lv = scope[k].name; break end
    end
    if not lv then return false end
    if chance(50) then
      emit("if #fns < 20 then fns[#fns + 1] = function() return " .. lv .. " + " .. x .. " end end")
    else
      emit("do local f = function() return " .. lv .. " * 2 end; " .. x .. " = " .. x .. " + f() end")
    end
  elseif r == 2 then
    emit("ctr_inc(" .. num_expr(1) .. ")")
  elseif r == 3 then
    emit("do local s = 0; local function a(d) s = s + d end; local function b() return s end; a(" ..
      num_expr(1) .. "); a(" .. num_expr(0) .. "); " .. x .. " = " .. x .. " + b() end")
  else
    emit("do local c = " .. num_expr(1) .. "; local g = function(z) c = c * 0.5 + z; return c end; local r = g(" ..
      x .. "); " .. x .. " = r + c end")
  end
  addcost(4)
  return true
end

function FS.str()
  local s = avar_of("str")
  if not s then return false end
  emit(s .. " = " .. FX.str.str(1))
  emit("if #" .. s .. " > 40 then " .. s .. " = " .. s .. ":sub(-" .. range(5, 20) .. ") end")
  return true
end

function FS.iter()
  local t = var_of("tab")
  local r = rand(14)
  if r >= 12 and loopdepth < 3 then
    -- a loop over a Lua iterator with a generated body
    local saved = mult
    mult = mult * 32
    if cost + mult * 8 >= BUDGET or (r == 12 and not t) then mult = saved; return false end
    local k, v = fresh("k"), fresh("v")
    if r == 12 then
      emit("for " .. k .. ", " .. v .. " in it_step, " .. t .. ", 0 do")
    else
      emit("for " .. k .. ", " .. v .. " in it_range(" .. range(1, 30) .. ", " .. int_expr(1) .. ") do")
    end
    declare(k, "int", true)
    declare(v, r == 12 and "num" or "int", true)
    local mark = #scope - 1
    loopdepth = loopdepth + 1
    labels[#labels + 1] = false
    indent = indent + 1
    block(range(1, 3), 0)
    indent = indent - 1
    labels[#labels] = nil
    loopdepth = loopdepth - 1
    for q = #scope, mark, -1 do scope[q] = nil end
    mult = saved
    emit("end")
    return true
  elseif r < 2 and t and loopdepth < 3 then
    -- ipairs with a generated body (it may append to or shrink the table)
    local saved = mult
    mult = mult * 64
    if cost + mult * 8 >= BUDGET then mult = saved; return false end
    local k, v = fresh("k"), fresh("v")
    emit("for " .. k .. ", " .. v .. " in ipairs(" .. t .. ") do")
    declare(k, "int", true)
    declare(v, "num", true)
    local mark = #scope - 1
    loopdepth = loopdepth + 1
    labels[#labels + 1] = false
    indent = indent + 1
    block(range(1, 3), 0)
    indent = indent - 1
    labels[#labels] = nil
    loopdepth = loopdepth - 1
    for q = #scope, mark, -1 do scope[q] = nil end
    mult = saved
    emit("end")
    return true
  elseif r == 2 and t then
    local n = avar_of("int")
    if not n then return false end
    emit("do local c, s = 0, 0; for k, v in pairs(" .. t .. ") do c = c + 1; if math.type(v) == \"integer\" then s = s + v end end; " ..
      n .. " = " .. n .. " + c * 3 + s end")
  elseif r == 3 and t then
    local n = avar_of("int")
    if not n then return false end
    emit("do local k, c = next(" .. t .. "), 0; while k ~= nil do c = c + 1; k = next(" .. t .. ", k) end; " ..
      n .. " = " .. n .. " + c end")
  elseif r == 4 and t then
    local x = avar_of("num")
    if not x then return false end
    emit("do local s = 0; for _, v in ipairs(" .. t .. ") do s = s + v end; " .. x .. " = " .. x .. " + s end")
  elseif r == 5 and t then
    emit("if #" .. t .. " < " .. range(8, 64) .. " then table.insert(" .. t .. ", " .. num_expr(1) .. ") end")
  elseif r == 6 and t then
    local x = avar_of("num")
    if not x then return false end
    emit("if #" .. t .. " > 1 then " .. x .. " = " .. x .. " + table.remove(" .. t .. ") end")
  elseif r == 7 and t then
    if chance(50) then
      emit("if #" .. t .. " > 2 then table.remove(" .. t .. ", #" .. t .. ") end")
    else
      emit("if #" .. t .. " < " .. range(8, 64) .. " then table.insert(" .. t .. ", #" .. t .. " + 1, " .. num_expr(1) .. ") end")
    end
  elseif r == 8 then
    emit("dict." .. pick(DICT_KEYS) .. " = dict." .. pick(DICT_KEYS) .. " + " .. int_expr(1))
  elseif r == 9 then
    emit(pick({"for k, v in pairs(dict) do dict[k] = v + #k end",
      "dict.opt = (dict.opt or 0) + 1", "dict.opt = nil"}))
  elseif r == 10 then
    local n = avar_of("int")
    if not n then return false end
    emit("do local s = 0; for k, v in pairs(dict) do s = s + v * #k end; " .. n .. " = " .. n .. " + s end")
  else
    local s = avar_of("str")
    if not s then return false end
    emit("do local ks = {}; for k in pairs(dict) do ks[#ks + 1] = k end; table.sort(ks); " ..
      s .. " = table.concat(ks, \",\", 1, " .. range(1, 3) .. ") end")
  end
  addcost(10)
  return true
end

function FS.coro()
  local x = avar_of("num")
  local r = rand(5)
  local k = range(0, 6)
  addcost(4 * k + 6)
  if r == 0 and x then
    emit("do local co = coroutine.create(" .. pick({"co_body", "co_pbody"}) .. "); local ok, v = coroutine.resume(co, " ..
      k .. ", " .. num_expr(1) .. "); while coroutine.status(co) ~= \"dead\" do " .. x .. " = " .. x ..
      " + v; ok, v = coroutine.resume(co) end; " .. x .. " = " .. x .. " + v end")
  elseif r == 1 and x then
    emit("for v in coroutine.wrap(function() for j = 1, " .. k .. " do co_yield2(j * " .. num_expr(0) ..
      ") end end) do " .. x .. " = " .. x .. " + v end")
  elseif r == 2 then
    local n = avar_of("int")
    if not n then return false end
    emit(n .. " = " .. n .. " + co_gen()")
  else
    local a = avar_of("any")
    if not a then return false end
    if r == 3 then
      emit("do local co = coroutine.create(co_err); local ok, v = coroutine.resume(co, " .. k ..
        "); while ok and coroutine.status(co) ~= \"dead\" do ok, v = coroutine.resume(co) end; " .. a .. " = v end")
    else
      emit("do local ok, e = pcall(function() return coroutine.wrap(co_err)(" .. k .. ") end); " .. a .. " = e end")
    end
  end
  return true
end

function FS.errcall()
  local a = avar_of("any")
  local x = avar_of("num")
  if not a or not x then return false end
  local r = rand(3)
  local handle = "if ok then " .. x .. " = e else " .. a ..
    " = type(e) == \"table\" and \"T\" .. e.code or e end"
  if r == 0 then
    emit("do local ok, e = pcall(" .. pick({"nth_err", "nth_mid", "nth_tail"}) .. ", " .. num_expr(1) .. "); " .. handle .. " end")
  elseif r == 1 then
    local k = range(1, 30)
    addcost(k)
    emit("do local ok, e = pcall(function() local s = 0; for j = 1, " .. k ..
      " do s = s + nth_mid(j) end; return s end); " .. handle .. " end")
  else
    emit("do local ok, e = xpcall(nth_mid, errh, " .. num_expr(1) .. "); " .. handle .. " end")
  end
  addcost(3)
  return true
end

local FAM_STMT_ORDER = {"calls", "recur", "meta", "clos", "str", "iter", "coro", "errcall"}
local function fam_stmt()
  if not fam_ok() then return false end
  local fs = {}
  for _, f in ipairs(FAM_STMT_ORDER) do
    if FAM[f] then fs[#fs + 1] = f end
  end
  if #fs == 0 then return false end
  return FS[pick(fs)]()
end

-- The helpers the families' statements call; emitted before the variables.
local function prelude_families()
  if FAM.calls then
    emit("local function va_n(...) return select(\"#\", ...) end")
    emit("local function va_sum(...)")
    emit("  local s = 0")
    emit("  for k = 1, select(\"#\", ...) do")
    emit("    local v = select(k, ...)")
    emit("    if v then s = s + v end")
    emit("  end")
    emit("  return s")
    emit("end")
    emit("local function va_pass(...) return ... end")
    emit("local function va_pack(...) local t = table.pack(...) return t.n end")
    emit("local function va_mid(a, ...) local b, c = ... return c, b, a end")
    emit("local function mr0() end")
    emit("local function mr2(a, b) return b, a end")
    emit("local function mr3(a) return a, a + 1, a * 2 end")
    emit("local function va_tail(k, ...) if k <= 0 then return va_sum(...) end return va_tail(k - 1, k, ...) end")
    emit("local function tc_sum(k, a) if k <= 0 then return a end return tc_sum(k - 1, a + k) end")
    emit("local tc_even, tc_odd")
    emit("function tc_even(k) if k == 0 then return 1 end return tc_odd(k - 1) end")
    emit("function tc_odd(k) if k == 0 then return 0 end return tc_even(k - 1) end")
  end
  if FAM.recur then
    emit("local function fibr(k) if k < 2 then return k end return fibr(k - 1) + fibr(k - 2) end")
    emit("local function tak(x, y, z) if y >= x then return z end return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) end")
    emit("local function ack(m, n) if m == 0 then return n + 1 end if n == 0 then return ack(m - 1, 1) end return ack(m - 1, ack(m, n - 1)) end")
    emit("local function mktree(d, v) if d == 0 then return {v = v} end return {l = mktree(d - 1, 2 * v), r = mktree(d - 1, 2 * v + 1), v = v} end")
    emit("local function walk(t) if not t.l then return t.v end return t.v + walk(t.l) - walk(t.r) end")
    emit("local function tcount(t) if not t then return 0 end return 1 + tcount(t.l) + tcount(t.r) end")
    emit("local function tnode(t, p) while p > 1 and t.l do if p % 2 == 0 then t = t.l else t = t.r end p = p // 2 end return t end")
    emit("local function rsum(t, k) if k > #t then return 0 end return t[k] + rsum(t, k + 1) end")
    emit("local function rcount(t, k, a, b) if k > #t then return a, b end if t[k] > 0 then return rcount(t, k + 1, a + 1, b) end return rcount(t, k + 1, a, b + 1) end")
    emit("local tree = mktree(" .. range(1, 6) .. ", " .. range(1, 9) .. ")")
  end
  if FAM.meta then
    emit("local function ov(x) if type(x) == \"table\" then return x.v end return x end")
    emit("local function cs(x) if type(x) == \"table\" then return \"O\" .. ts(x.v) end return ts(x) end")
    emit("local function mk(v, mt) return setmetatable({v = v, n = 0}, mt) end")
    emit("local function meta_ops(mt, name)")
    emit("  MTN[mt] = name")
    emit("  mt.__add = function(a, b) return mk(ov(a) + ov(b), mt) end")
    emit("  mt.__sub = function(a, b) return mk(ov(a) - ov(b), mt) end")
    emit("  mt.__mul = function(a, b) return mk(ov(a) * ov(b), mt) end")
    emit("  mt.__div = function(a, b) return mk(ov(a) / ov(b), mt) end")
    emit("  mt.__pow = function(a, b) return mk(ov(a) ^ ov(b), mt) end")
    emit("  mt.__unm = function(a) return mk(-a.v, mt) end")
    emit("  mt.__eq = function(a, b) return a.v == b.v end")
    emit("  mt.__lt = function(a, b) return ov(a) < ov(b) end")
    emit("  mt.__le = function(a, b) return ov(a) <= ov(b) end")
    emit("  mt.__concat = function(a, b) return cs(a) .. \"|\" .. cs(b) end")
    emit("  mt.__len = function(a) return a.n end")
    emit("  mt.__call = function(self, d) return self.v + d end")
    emit("  return mt")
    emit("end")
    emit("local Base = {}")
    emit("local function add1(self, d) self.v = self.v + d; self.n = self.n + 1; return self end")
    emit("local function add2(self, d) self.v = self.v - d; self.n = self.n + 2; return self end")
    emit("local function get2(o) return o.v * 1 end")
    emit("local function scale2(self, k) self.n = self.n + 1; return self.v - k end")
    emit("Base.add = add1")
    emit("function Base.get(o) return o.v end")
    emit("function Base:scale(k) self.v = self.v * k; return self.v end")
    emit("local Mid = setmetatable({scale = scale2}, {__index = Base})")
    emit("local Deep = setmetatable({}, {__index = Mid})")
    emit("local SINK = {}")
    emit("local function idxfn(o, k) return Mid[k] end")
    emit("local MA = meta_ops({__index = Base}, \"A\")")
    emit("local MB = meta_ops({__index = Mid}, \"B\")")
    emit("local MC = meta_ops({__index = idxfn}, \"C\")")
    emit("local MD = meta_ops({__index = function(o, k) return Base[k] end, __newindex = function(o, k, v) rawset(o, \"v\", v); o.n = o.n + 1 end}, \"D\")")
    emit("local ME = meta_ops({__index = Deep, __newindex = SINK}, \"E\")")
  end
  if FAM.clos then
    emit("local function counter(s) local c = s return function(d) c = c + d return c end, function() return c end end")
    emit("local ctr_inc, ctr_get = counter(" .. pick(INT_LITS) .. ")")
  end
  if FAM.iter then
    emit("local dict = {alpha = " .. range(-9, 9) .. ", beta = 2, gamma = " .. range(-99, 99) .. ", delta = 40}")
    -- iterators written in Lua (the JIT inlines their calls): stateless,
    -- and a closure with upvalues it updates
    emit("local function it_step(t, i) i = i + " .. range(1, 2) .. " local v = t[i] if v ~= nil then return i, v end end")
    emit("local function it_range(n, d) local c = 0 return function() c = c + 1 if c <= n then return c, c * d end end end")
  end
  if FAM.coro then
    emit("local function co_yield2(a) coroutine.yield(a) return a + 1 end")
    emit("local function co_body(m, a) local s = 0 for j = 1, m do s = s + co_yield2(a + j) end return s end")
    emit("local function co_pbody(m, a) local s = 0 for j = 1, m do local ok, r = pcall(co_yield2, a * j) if ok then s = s + r end end return s end")
    emit("local function co_err(m) for j = 1, m do co_yield2(j) end error(\"co \" .. m) end")
    emit("local co_gen_co = coroutine.create(function() local k = 0 while true do k = k + 1 co_yield2(k) end end)")
    emit("local function co_gen() local ok, v = coroutine.resume(co_gen_co) return v end")
  end
  if FAM.errcall then
    emit("local ncall = 0")
    emit("local function nth_err(v)")
    emit("  ncall = ncall + 1")
    emit("  if ncall % " .. range(3, 30) .. " == 0 then error(\"nth \" .. ncall) end")
    emit("  if ncall % " .. range(5, 40) .. " == 0 then error({code = ncall}) end")
    emit("  if ncall % " .. range(7, 50) .. " == 0 then error(\"lvl2\", 2) end")
    emit("  return v")
    emit("end")
    emit("local function nth_mid(v) local r = nth_err(v) return r + 1 end")
    emit("local function nth_tail(v) return nth_err(v) end")
    emit("local function errh(m) if type(m) == \"table\" then return {code = -m.code} end return \"H:\" .. m end")
  end
end

-- The families' state printed at the end of the program.
local function epilogue_families()
  if FAM.recur then emit("print(\"tree\", walk(tree), tcount(tree))") end
  if FAM.meta then emit("print(\"sink\", fmt(SINK.w))") end
  if FAM.clos then emit("print(\"ctr\", fmt(ctr_get()))") end
  if FAM.iter then
    emit("do local ks = {} for k in pairs(dict) do ks[#ks + 1] = k end table.sort(ks)")
    emit("  for _, k in ipairs(ks) do io.write(k, \"=\", dict[k], \" \") end print() end")
  end
  if FAM.coro then emit("print(\"co\", co_gen())") end
  if FAM.errcall then emit("print(\"ncall\", ncall)") end
end

function block(n, depthleft)
  depthleft = depthleft or 2
  for _ = 1, n do
    if cost >= BUDGET then return end
    cost = cost + mult
    local r = rand(100)
    local done = false
    if simple then
      -- no nested loops, calls with variable results, closures or pcall:
      -- the recorder aborts on those, and this body should compile
      if r < 15 and depthleft > 0 then stmt_if(depthleft - 1); done = true
      elseif r < 35 then done = stmt_table()
      elseif r < 42 then done = stmt_exit()
      elseif r < 47 then done = stmt_swap()
      elseif r < 47 + 15 * FAMSCALE // 100 then done = fam_stmt()
      end
      if not done then stmt_assign() end
      goto next
    end
    if r < 8 and depthleft > 0 and loopdepth < 3 then stmt_hotloop(); done = true
    elseif r < 12 and depthleft > 0 and loopdepth < 3 then stmt_for(); done = true
    elseif r < 18 and depthleft > 0 and loopdepth < 3 then stmt_while(); done = true
    elseif r < 28 and depthleft > 0 then stmt_if(depthleft - 1); done = true
    elseif r < 34 then done = stmt_table()
    elseif r < 40 then done = stmt_exit()
    elseif r < 45 then done = stmt_pcall()
    elseif r < 51 then done = stmt_closure()
    elseif r < 54 then done = stmt_swap()
    elseif r < 56 then done = stmt_print()
    elseif r < 60 and depthleft > 0 then done = stmt_local()
    elseif r < 60 + 20 * FAMSCALE // 100 then done = fam_stmt()
    end
    if not done then stmt_assign() end
    ::next::
  end
end

-- -- Program ----------------------------------------------------------------

local offs = {}
for _, f in ipairs(FAMILIES) do
  if not FAM[f] then offs[#offs + 1] = f end
end
emit("-- generated by tests/fuzz/gen.lua " .. seed ..
  (#offs > 0 and " --off " .. table.concat(offs, ",") or "") ..
  " (family density " .. FAMSCALE .. "%)")
emit("local MTN = {}")
emit("local function fmt(v)")
emit("  local mt = math.type(v)")
emit("  if mt == \"float\" then")
emit("    if v ~= v then return \"nan\" end")
emit("    return \"f:\" .. string.format(\"%.17g\", v)")
emit("  elseif mt == \"integer\" then return string.format(\"%d\", v)")
emit("  elseif type(v) == \"string\" then return string.format(\"%q\", (v:gsub(\"%-nan\", \"nan\")))")
emit("  elseif type(v) == \"table\" and getmetatable(v) then")
emit("    return \"O\" .. MTN[getmetatable(v)] .. \"(\" .. fmt(rawget(v, \"v\")) .. \",\" .. fmt(rawget(v, \"n\")) .. \",\" .. fmt(rawget(v, \"w\")) .. \")\"")
emit("  elseif type(v) == \"table\" then")
emit("    local parts = {}")
emit("    for k = 1, #v do parts[k] = fmt(v[k]) end")
emit("    return \"{\" .. table.concat(parts, \",\") .. \"|f=\" .. fmt(v.f) .. \"}\"")
emit("  else return tostring(v) end")
emit("end")
emit("local function ts(v) if v ~= v then return \"nan\" end return tostring(v) end")
emit("local nerr, nprint = 0, 0")
emit("local fns = {}")
prelude_families()

-- variables
local nvars = {num = range(2, 4), int = range(1, 3), numstr = range(0, 2),
  str = range(0, 2), tab = range(1, 2), any = range(0, 2),
  obj = FAM.meta and range(0, 2) or 0}
local order = {"num", "int", "numstr", "str", "tab", "any", "obj"}
local allvars = {}
for _, cls in ipairs(order) do
  for _ = 1, nvars[cls] do
    local name = fresh(({num = "x", int = "n", numstr = "s", str = "str", tab = "t", any = "a", obj = "o"})[cls])
    local init
    if cls == "num" then init = chance(50) and pick(FLT_LITS) or pick(INT_LITS)
    elseif cls == "int" then init = pick(INT_LITS)
    elseif cls == "numstr" then init = pick(STR_LITS)
    elseif cls == "str" then init = pick(WORD_LITS)
    elseif cls == "any" then init = pick({"nil", "true", "false", "0", '"s"'})
    elseif cls == "obj" then init = "mk(" .. pick(INT_LITS) .. ", " .. pick(OBJ_MTS) .. ")"
    else
      local k = range(1, 20)
      local el = {}
      for e = 1, k do el[e] = chance(70) and tostring(range(-50, 50)) or pick({"0.5", "-0.0", "1e300", "math.maxinteger", "2.25"}) end
      init = "{" .. table.concat(el, ", ") .. ", f = 0}"
    end
    emit("local " .. name .. " = " .. init)
    declare(name, cls)
    allvars[#allvars + 1] = name
  end
end
-- `acc` is the upvalue that closures modify
emit("local acc = 0")
declare("acc", "num")
allvars[#allvars + 1] = "acc"

-- functions
local K1, K2 = range(1, 60), range(61, 400)
emit("local function risky(v)")
emit("  if v == " .. K1 .. " then error(\"boom \" .. v) end")
emit("  if v % " .. range(5, 40) .. " == 3 then error({code = v}) end")
emit("  if v == " .. K2 .. " then error(\"plain\", 0) end")
emit("  return v * 2")
emit("end")
emit("local function bump(d) acc = acc + d; return acc end")
funcs[#funcs + 1] = {name = "bump", params = {"num"}, ret = "num", cost = 1}

-- a few generated functions; their bodies may loop and touch upvalues
for f = 1, range(1, 3) do
  local name = "f" .. f
  local ret = pick({"num", "num", "int"})
  local params = {pick({"num", "int"}), pick({"num", "int", "numstr"})}
  emit("local function " .. name .. "(p1, p2)")
  indent = indent + 1
  local mark = #scope
  declare("p1", params[1]); declare("p2", params[2])
  local saved_cost, saved_budget = cost, BUDGET
  cost, BUDGET = 0, 400
  block(range(1, 3), 1)
  local fcost = cost + 1
  cost, BUDGET = saved_cost, saved_budget
  emit("return " .. expr(ret, 2))
  for k = #scope, mark + 1, -1 do scope[k] = nil end
  indent = indent - 1
  emit("end")
  funcs[#funcs + 1] = {name = name, params = params, ret = ret, cost = fcost}
end
if chance(40) then
  emit("local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end")
  funcs[#funcs + 1] = {name = "fib", params = {"int"}, ret = "int", cost = 1}
  -- fib's argument must stay small: wrap it
  funcs[#funcs].name = "(function(k) return fib(k % 12) end)"
  funcs[#funcs].cost = 300
end

local function checkpoint(tag)
  local parts = {}
  for k = 1, #allvars do parts[k] = "fmt(" .. allvars[k] .. ")" end
  emit("print(\"" .. tag .. "\", " .. table.concat(parts, ", ") .. ")")
end

local nblocks = range(2, 5)
for b = 1, nblocks do
  block(range(1, 3))
  checkpoint("L" .. b)
end
emit("do local s = 0 for k = 1, #fns do s = s + fns[k]() end print(\"fns\", #fns, fmt(s)) end")
emit("print(\"nerr\", nerr, nprint)")
epilogue_families()
local r = rand(100)
if r < 3 then
  emit("error(\"final \" .. fmt(" .. pick(allvars) .. "))")
elseif r < 5 then
  emit("local q = nil")
  emit("print(q.field)")
elseif r < 7 then
  emit("os.exit(" .. range(0, 5) .. ")")
elseif r < 8 and FAM.coro then
  -- an uncaught error from a coroutine: wrap adds the caller's position
  emit("coroutine.wrap(co_err)(0)")
elseif r < 9 and FAM.calls then
  -- an error inside a callee reached through a tail call
  emit("print(va_tail(2, 1, {}))")
elseif r < 10 and FAM.meta then
  emit("error(setmetatable({}, {__tostring = function() return \"custom \" .. fmt(" .. pick(allvars) .. ") end}))")
elseif r < 11 and FAM.errcall then
  emit("for j = 1, 100 do nth_mid(j) end")
end

io.write(table.concat(out, "\n"), "\n")
