-- A recursive-descent expression evaluator with variables and error reporting.
local function tokenize(s)
  local toks, i = {}, 1
  while i <= #s do
    local c = s:sub(i, i)
    if c:match("%s") then i = i + 1
    elseif c:match("%d") or (c == "." and s:sub(i + 1, i + 1):match("%d")) then
      local num = s:match("^%d*%.?%d+", i) or s:match("^%d+", i)
      toks[#toks + 1] = {t = "num", v = tonumber(num)}
      i = i + #num
    elseif c:match("[%a_]") then
      local id = s:match("^[%a_][%w_]*", i)
      toks[#toks + 1] = {t = "id", v = id}
      i = i + #id
    elseif c:match("[%+%-%*/%^%(%)=,%%]") then
      toks[#toks + 1] = {t = c}
      i = i + 1
    else
      error("unexpected character '" .. c .. "' at " .. i, 0)
    end
  end
  toks[#toks + 1] = {t = "eof"}
  return toks
end
local funcs = {sqrt = math.sqrt, max = math.max, min = math.min, abs = math.abs}
local function evaluate(src, vars)
  local toks, p = tokenize(src), 1
  local function peek() return toks[p].t end
  local function take(t) if toks[p].t ~= t then error("expected " .. t .. " but got " .. toks[p].t, 0) end p = p + 1 return toks[p - 1] end
  local expr
  local function primary()
    local tk = toks[p]
    if tk.t == "num" then p = p + 1 return tk.v
    elseif tk.t == "id" then
      p = p + 1
      if peek() == "(" then
        p = p + 1
        local args = {}
        if peek() ~= ")" then
          args[1] = expr()
          while peek() == "," do p = p + 1 args[#args + 1] = expr() end
        end
        take(")")
        local f = funcs[tk.v] or error("unknown function " .. tk.v, 0)
        return f(table.unpack(args))
      end
      local v = vars[tk.v]
      if v == nil then error("undefined variable " .. tk.v, 0) end
      return v
    elseif tk.t == "(" then p = p + 1 local v = expr() take(")") return v
    elseif tk.t == "-" then p = p + 1 return -primary()
    end
    error("unexpected " .. tk.t, 0)
  end
  local function power() local b = primary() if peek() == "^" then p = p + 1 return b ^ power() end return b end
  local function term()
    local v = power()
    while peek() == "*" or peek() == "/" or peek() == "%" do
      local op = take(peek()).t
      local r = power()
      if op == "*" then v = v * r elseif op == "/" then v = v / r else v = v % r end
    end
    return v
  end
  function expr()
    local v = term()
    while peek() == "+" or peek() == "-" do
      local op = take(peek()).t
      local r = term()
      if op == "+" then v = v + r else v = v - r end
    end
    return v
  end
  local result
  if toks[1].t == "id" and toks[2].t == "=" then
    p = 3
    result = expr()
    vars[toks[1].v] = result
  else
    result = expr()
  end
  take("eof")
  return result
end
local vars = {}
local inputs = {
  "1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "-2 ^ 2", "10 / 4", "10 % 4", "x = 5", "y = x * 2 + 1",
  "sqrt(x * x + y * y)", "max(1, x, y, 3)", "min(4, 2) - abs(-7)", "1 +", "z + 1", "3 $ 4",
  "foo(1)", "(1 + 2", ".5 + 1.25", "7 - -7",
}
for _, line in ipairs(inputs) do
  local ok, v = pcall(evaluate, line, vars)
  print(string.format("%-22s -> %s", line, ok and tostring(v) or ("error: " .. v)))
end
