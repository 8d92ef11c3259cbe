-- gen.lua -- random Lua 5.4 programs that stress a trace JIT.
--
-- Usage: lua5.4 gen.lua <seed>     (prints one program on stdout)
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
-- Errors happen only on purpose: inside pcall, or as the program's last act.
-- A cost model (statement executions, loop trips multiplied) keeps each
-- program well under a second in lua5.4.

local seed = math.tointeger(tonumber(arg and arg[1] or "1"))
if not seed then
  io.stderr:write("usage: gen.lua <integer seed>\n")
  os.exit(2)
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
local cost = 0
local mult = 1
local loopdepth = 0
local labels = {}      -- continue label of each enclosing loop (or false)
local simple = false   -- inside a hot loop: only what the recorder compiles

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

local function atom_of(cls)
  local vs = vars_of(cls)
  if #vs > 0 and chance(75) then return pick(vs).name end
  return nil
end

local function int_expr(d)
  if d <= 0 or chance(30) then
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
  elseif r < 13 then return "(" .. a .. " ^ " .. pick({"2", "0.5", "-1", "3"}) .. ")"
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
  for _ = 1, range(1, 2) do stmt_typechange(lv, first, step, n) end
  block(range(3, 8), 1)
  if chance(30) then stmt_typechange(lv, first, step, n) end
  simple = false
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
    end
    if not done then stmt_assign() end
    ::next::
  end
end

-- -- Program ----------------------------------------------------------------

emit("-- generated by tests/fuzz/gen.lua " .. seed)
emit("local function fmt(v)")
emit("  local mt = math.type(v)")
emit("  if mt == \"float\" then")
emit("    if v ~= v then return \"nan\" end")
emit("    return \"f:\" .. string.format(\"%.17g\", v)")
emit("  elseif mt == \"integer\" then return string.format(\"%d\", v)")
emit("  elseif type(v) == \"string\" then return string.format(\"%q\", (v:gsub(\"%-nan\", \"nan\")))")
emit("  elseif type(v) == \"table\" then")
emit("    local parts = {}")
emit("    for k = 1, #v do parts[k] = fmt(v[k]) end")
emit("    return \"{\" .. table.concat(parts, \",\") .. \"|f=\" .. fmt(v.f) .. \"}\"")
emit("  else return tostring(v) end")
emit("end")
emit("local function ts(v) if v ~= v then return \"nan\" end return tostring(v) end")
emit("local nerr, nprint = 0, 0")
emit("local fns = {}")

-- variables
local nvars = {num = range(2, 4), int = range(1, 3), numstr = range(0, 2),
  str = range(0, 2), tab = range(1, 2), any = range(0, 2)}
local order = {"num", "int", "numstr", "str", "tab", "any"}
local allvars = {}
for _, cls in ipairs(order) do
  for _ = 1, nvars[cls] do
    local name = fresh(({num = "x", int = "n", numstr = "s", str = "str", tab = "t", any = "a"})[cls])
    local init
    if cls == "num" then init = chance(50) and pick(FLT_LITS) or pick(INT_LITS)
    elseif cls == "int" then init = pick(INT_LITS)
    elseif cls == "numstr" then init = pick(STR_LITS)
    elseif cls == "str" then init = pick(WORD_LITS)
    elseif cls == "any" then init = pick({"nil", "true", "false", "0", '"s"'})
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
local r = rand(100)
if r < 3 then
  emit("error(\"final \" .. fmt(" .. pick(allvars) .. "))")
elseif r < 5 then
  emit("local q = nil")
  emit("print(q.field)")
elseif r < 7 then
  emit("os.exit(" .. range(0, 5) .. ")")
end

io.write(table.concat(out, "\n"), "\n")
