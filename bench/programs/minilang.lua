-- minilang.lua: an application-like program: a lexer, recursive-descent
-- parser and tree-walking interpreter for a small integer language with
-- functions, recursion, while/if and arrays, running a handful of scripts
-- (recursive Fibonacci, a prime sieve, bubble sort, Collatz lengths, gcd).
-- Exercises strings, tables as records, dispatch tables and deep recursion.
-- bench-group: app
-- bench-quick: 1
-- usage: minilang.lua [scale]   (default 10)

local scale = tonumber(arg and arg[1]) or 10
local floor = math.floor

-- -- Lexer -------------------------------------------------------------------

local keywords = { let = true, fn = true, ["while"] = true, ["if"] = true, ["else"] = true,
                   ["return"] = true, print = true, ["and"] = true, ["or"] = true, ["not"] = true }

local function lex(src)
  local toks, i, line = {}, 1, 1
  local len = #src
  while i <= len do
    local c = src:sub(i, i)
    if c == "\n" then
      line = line + 1
      i = i + 1
    elseif c:match("%s") then
      i = i + 1
    elseif c == "#" then
      local e = src:find("\n", i, true) or len + 1
      i = e
    elseif c:match("%d") then
      local s, e = src:find("^%d+", i)
      toks[#toks + 1] = { kind = "num", value = tonumber(src:sub(s, e)), line = line }
      i = e + 1
    elseif c:match("[%a_]") then
      local s, e = src:find("^[%w_]+", i)
      local word = src:sub(s, e)
      toks[#toks + 1] = { kind = keywords[word] and word or "name", value = word, line = line }
      i = e + 1
    else
      local two = src:sub(i, i + 1)
      if two == "==" or two == "!=" or two == "<=" or two == ">=" then
        toks[#toks + 1] = { kind = two, line = line }
        i = i + 2
      elseif ("+-*/%<>=(){}[],;"):find(c, 1, true) then
        toks[#toks + 1] = { kind = c, line = line }
        i = i + 1
      else
        error(string.format("line %d: unexpected character '%s'", line, c))
      end
    end
  end
  toks[#toks + 1] = { kind = "eof", line = line }
  return toks
end

-- -- Parser ------------------------------------------------------------------

local Parser = {}
Parser.__index = Parser

local function parser(toks) return setmetatable({ toks = toks, pos = 1 }, Parser) end

function Parser:peek() return self.toks[self.pos].kind end

function Parser:next()
  local t = self.toks[self.pos]
  self.pos = self.pos + 1
  return t
end

function Parser:expect(kind)
  local t = self:next()
  if t.kind ~= kind then
    error(string.format("line %d: expected '%s' near '%s'", t.line, kind, t.kind))
  end
  return t
end

-- Parses comma-separated items up to, not including, the closing token.
function Parser:comma_list(item, closer)
  local items = {}
  if self:peek() ~= closer then
    items[1] = item(self)
    while self:peek() == "," do
      self:next()
      items[#items + 1] = item(self)
    end
  end
  return items
end

function Parser:full_expr() return self:expr(1) end
function Parser:param() return self:expect("name").value end

local binary_priority = {
  ["or"] = 1, ["and"] = 2,
  ["=="] = 3, ["!="] = 3, ["<"] = 3, ["<="] = 3, [">"] = 3, [">="] = 3,
  ["+"] = 4, ["-"] = 4, ["*"] = 5, ["/"] = 5, ["%"] = 5,
}

function Parser:primary()
  local t = self:next()
  local node
  if t.kind == "num" then
    node = { tag = "num", value = t.value }
  elseif t.kind == "name" then
    node = { tag = "var", name = t.value }
  elseif t.kind == "(" then
    node = self:expr(1)
    self:expect(")")
  elseif t.kind == "[" then
    local items = self:comma_list(Parser.full_expr, "]")
    self:expect("]")
    node = { tag = "array", items = items }
  elseif t.kind == "-" then
    return { tag = "neg", arg = self:primary() }
  elseif t.kind == "not" then
    return { tag = "not", arg = self:primary() }
  else
    error(string.format("line %d: unexpected '%s'", t.line, t.kind))
  end
  while true do
    local k = self:peek()
    if k == "(" then
      self:next()
      local args = self:comma_list(Parser.full_expr, ")")
      self:expect(")")
      node = { tag = "call", fn = node, args = args }
    elseif k == "[" then
      self:next()
      local index = self:expr(1)
      self:expect("]")
      node = { tag = "index", obj = node, index = index }
    else
      return node
    end
  end
end

function Parser:expr(min)
  local left = self:primary()
  while true do
    local op = self:peek()
    local p = binary_priority[op]
    if not p or p < min then return left end
    self:next()
    left = { tag = "bin", op = op, left = left, right = self:expr(p + 1) }
  end
end

function Parser:block()
  self:expect("{")
  local body = {}
  while self:peek() ~= "}" do body[#body + 1] = self:statement() end
  self:expect("}")
  return body
end

function Parser:statement()
  local k = self:peek()
  if k == "let" then
    self:next()
    local name = self:expect("name").value
    self:expect("=")
    local e = self:expr(1)
    self:expect(";")
    return { tag = "let", name = name, value = e }
  elseif k == "fn" then
    self:next()
    local name = self:expect("name").value
    self:expect("(")
    local params = self:comma_list(Parser.param, ")")
    self:expect(")")
    return { tag = "fn", name = name, params = params, body = self:block() }
  elseif k == "while" then
    self:next()
    local cond = self:expr(1)
    return { tag = "while", cond = cond, body = self:block() }
  elseif k == "if" then
    self:next()
    local cond = self:expr(1)
    local yes = self:block()
    local no = nil
    if self:peek() == "else" then
      self:next()
      if self:peek() == "if" then no = { self:statement() } else no = self:block() end
    end
    return { tag = "if", cond = cond, yes = yes, no = no }
  elseif k == "return" then
    self:next()
    local e = self:expr(1)
    self:expect(";")
    return { tag = "return", value = e }
  elseif k == "print" then
    self:next()
    local e = self:expr(1)
    self:expect(";")
    return { tag = "print", value = e }
  end
  local target = self:expr(1)
  if self:peek() == "=" then
    self:next()
    local e = self:expr(1)
    self:expect(";")
    return { tag = "assign", target = target, value = e }
  end
  self:expect(";")
  return { tag = "expr", value = target }
end

local function parse(src)
  local p = parser(lex(src))
  local prog = {}
  while p:peek() ~= "eof" do prog[#prog + 1] = p:statement() end
  return prog
end

-- -- Interpreter -------------------------------------------------------------

-- Scopes are tables chained through a parent link; lookups walk the chain.
local function lookup(scope, name)
  while scope do
    local v = scope.vars[name]
    if v ~= nil then return scope end
    scope = scope.parent
  end
  error("undefined variable '" .. name .. "'")
end

local eval, exec_block

local binops = {
  ["+"] = function(a, b) return a + b end,
  ["-"] = function(a, b) return a - b end,
  ["*"] = function(a, b) return a * b end,
  ["/"] = function(a, b)
    if b == 0 then error("division by zero") end
    return floor(a / b)
  end,
  ["%"] = function(a, b) return a % b end,
  ["<"] = function(a, b) return (a < b) and 1 or 0 end,
  ["<="] = function(a, b) return (a <= b) and 1 or 0 end,
  [">"] = function(a, b) return (a > b) and 1 or 0 end,
  [">="] = function(a, b) return (a >= b) and 1 or 0 end,
  ["=="] = function(a, b) return (a == b) and 1 or 0 end,
  ["!="] = function(a, b) return (a ~= b) and 1 or 0 end,
}

local evaluators = {
  num = function(node) return node.value end,
  var = function(node, scope) return lookup(scope, node.name).vars[node.name] end,
  neg = function(node, scope) return -eval(node.arg, scope) end,
  ["not"] = function(node, scope) return (eval(node.arg, scope) == 0) and 1 or 0 end,
  array = function(node, scope)
    local a = { n = #node.items }
    for i, item in ipairs(node.items) do a[i] = eval(item, scope) end
    return a
  end,
  index = function(node, scope)
    local a = eval(node.obj, scope)
    local v = a[eval(node.index, scope) + 1]
    if v == nil then error("index out of range") end
    return v
  end,
  bin = function(node, scope)
    local op = node.op
    if op == "and" then
      if eval(node.left, scope) == 0 then return 0 end
      return (eval(node.right, scope) ~= 0) and 1 or 0
    elseif op == "or" then
      if eval(node.left, scope) ~= 0 then return 1 end
      return (eval(node.right, scope) ~= 0) and 1 or 0
    end
    return binops[op](eval(node.left, scope), eval(node.right, scope))
  end,
  call = function(node, scope)
    local f = eval(node.fn, scope)
    if type(f) == "function" then
      local args = {}
      for i, a in ipairs(node.args) do args[i] = eval(a, scope) end
      return f(args)
    end
    if type(f) ~= "table" or not f.params then error("call of a non-function") end
    local vars = {}
    for i, pname in ipairs(f.params) do vars[pname] = eval(node.args[i], scope) end
    local _, result = exec_block(f.body, { vars = vars, parent = f.scope })
    return result or 0
  end,
}

function eval(node, scope)
  return evaluators[node.tag](node, scope)
end

local output = {}

local executors = {
  let = function(st, scope) scope.vars[st.name] = eval(st.value, scope) end,
  assign = function(st, scope)
    local t = st.target
    if t.tag == "var" then
      lookup(scope, t.name).vars[t.name] = eval(st.value, scope)
    elseif t.tag == "index" then
      local a = eval(t.obj, scope)
      local i = eval(t.index, scope)
      if i < 0 or i >= a.n then error("index out of range") end
      a[i + 1] = eval(st.value, scope)
    else
      error("cannot assign to a " .. t.tag)
    end
  end,
  fn = function(st, scope)
    scope.vars[st.name] = { params = st.params, body = st.body, scope = scope }
  end,
  ["while"] = function(st, scope)
    while eval(st.cond, scope) ~= 0 do
      local ret, v = exec_block(st.body, { vars = {}, parent = scope })
      if ret then return true, v end
    end
  end,
  ["if"] = function(st, scope)
    if eval(st.cond, scope) ~= 0 then
      return exec_block(st.yes, { vars = {}, parent = scope })
    elseif st.no then
      return exec_block(st.no, { vars = {}, parent = scope })
    end
  end,
  ["return"] = function(st, scope) return true, eval(st.value, scope) end,
  print = function(st, scope) output[#output + 1] = string.format("%d", eval(st.value, scope)) end,
  expr = function(st, scope) eval(st.value, scope) end,
}

function exec_block(body, scope)
  for i = 1, #body do
    local st = body[i]
    local ret, v = executors[st.tag](st, scope)
    if ret then return true, v end
  end
  return false, nil
end

local function run(src, builtins)
  local globals = { vars = {}, parent = nil }
  for k, f in pairs(builtins) do globals.vars[k] = f end
  exec_block(parse(src), globals)
end

-- -- Scripts -----------------------------------------------------------------

local builtins = {
  array = function(args)
    local a = { n = args[1] }
    for i = 1, args[1] do a[i] = args[2] or 0 end
    return a
  end,
  len = function(args) return args[1].n end,
}

local script = [[
# recursive Fibonacci
fn fib(n) {
  if n < 2 { return n; }
  return fib(n - 1) + fib(n - 2);
}
print fib(SIZE_FIB);

# count primes with a sieve
fn primes(limit) {
  let flags = array(limit + 1, 1);
  let count = 0;
  let i = 2;
  while i <= limit {
    if flags[i] {
      count = count + 1;
      let j = i * i;
      while j <= limit { flags[j] = 0; j = j + i; }
    }
    i = i + 1;
  }
  return count;
}
print primes(SIZE_SIEVE);

# bubble sort of a pseudo-random array, then a checksum
fn sortcheck(n) {
  let a = array(n, 0);
  let seed = 7;
  let i = 0;
  while i < n { seed = (seed * 16807) % 2147483647; a[i] = seed % 1000; i = i + 1; }
  let swapped = 1;
  while swapped {
    swapped = 0;
    let k = 1;
    while k < n {
      if a[k - 1] > a[k] { let t = a[k]; a[k] = a[k - 1]; a[k - 1] = t; swapped = 1; }
      k = k + 1;
    }
  }
  let h = 0;
  i = 0;
  while i < n { h = (h * 31 + a[i]) % 1000003; i = i + 1; }
  return h;
}
print sortcheck(SIZE_SORT);

# longest Collatz chain below a limit, and a gcd sum
fn collatz(limit) {
  let best = 0; let arg = 0; let n = 1;
  while n < limit {
    let x = n; let steps = 0;
    while x != 1 {
      if x % 2 == 0 { x = x / 2; } else { x = 3 * x + 1; }
      steps = steps + 1;
    }
    if steps > best { best = steps; arg = n; }
    n = n + 1;
  }
  return arg * 1000 + best;
}
print collatz(SIZE_COLLATZ);

fn gcd(a, b) { while b != 0 { let t = a % b; a = b; b = t; } return a; }
let g = 0; let p = 1;
while p < SIZE_GCD { g = g + gcd(p * 7, 1001) + gcd(p, p % 97 + 1); p = p + 1; }
print g;
]]

local function sized(k)
  return (script:gsub("SIZE_(%u+)", function(what)
    if what == "FIB" then return tostring(10 + k) end
    if what == "SIEVE" then return tostring(2000 * k) end
    if what == "SORT" then return tostring(20 * k) end
    if what == "COLLATZ" then return tostring(300 * k) end
    return tostring(500 * k)
  end))
end

run(sized(scale), builtins)
print(table.concat(output, " "))

-- errors in scripts are reported, not crashes
local ok, err = pcall(run, "let x = 1 / 0;", builtins)
print(ok, (tostring(err):gsub("^.-:%d+: ", "")))
ok, err = pcall(run, "let y = ;", builtins)
print(ok, (tostring(err):gsub("^.-:%d+: ", "")))
