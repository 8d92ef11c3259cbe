-- deltablue.lua: a DeltaBlue-like incremental constraint solver: variables,
-- constraints with a strength hierarchy (stay, edit, equality, scale), a
-- planner that adds and removes constraints incrementally, and plans that are
-- extracted and executed. Runs a chain test and a projection test.
-- bench-group: oop
-- bench-quick: 20
-- usage: deltablue.lua [n]   (default 3000 variables per test, 10 rounds)

local n = tonumber(arg and arg[1]) or 3000
local rounds = 10

-- Strengths: smaller is stronger.
local REQUIRED, STRONG_PREFERRED, PREFERRED, STRONG_DEFAULT, NORMAL, WEAK_DEFAULT, WEAKEST =
  0, 1, 2, 3, 4, 5, 6

local NONE, FORWARD, BACKWARD = 0, 1, 2

local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  return c
end

local function remove_item(list, item)
  for i = #list, 1, -1 do
    if list[i] == item then table.remove(list, i) end
  end
end

-- -- Variables ---------------------------------------------------------------

local Variable = class()

function Variable.new(name, value)
  return setmetatable({ name = name, value = value, constraints = {}, determined_by = nil,
                        mark = 0, walk_strength = WEAKEST, stay = true }, Variable)
end

-- -- Planner -----------------------------------------------------------------

local Planner = class()

function Planner.new()
  return setmetatable({ current_mark = 0 }, Planner)
end

local planner -- the one planner all constraints talk to

function Planner:new_mark()
  self.current_mark = self.current_mark + 1
  return self.current_mark
end

local function consumers_of(v, list)
  local determining = v.determined_by
  for _, c in ipairs(v.constraints) do
    if c ~= determining and c:is_satisfied() then list[#list + 1] = c end
  end
end

function Planner:incremental_add(c)
  local mark = self:new_mark()
  local overridden = c:satisfy(mark)
  while overridden ~= nil do overridden = overridden:satisfy(mark) end
end

function Planner:incremental_remove(c)
  local out = c:output()
  c:mark_unsatisfied()
  c:remove_from_graph()
  local unsatisfied = self:remove_propagate_from(out)
  for strength = REQUIRED, WEAKEST do
    for _, u in ipairs(unsatisfied) do
      if u.strength == strength then self:incremental_add(u) end
    end
  end
end

-- Recomputes walk strengths downstream of c; false when a cycle is found.
function Planner:add_propagate(c, mark)
  local todo = { c }
  while #todo > 0 do
    local d = table.remove(todo)
    if d:output().mark == mark then
      self:incremental_remove(c)
      return false
    end
    d:recalculate()
    consumers_of(d:output(), todo)
  end
  return true
end

function Planner:remove_propagate_from(out)
  out.determined_by = nil
  out.walk_strength = WEAKEST
  out.stay = true
  local unsatisfied, todo = {}, { out }
  while #todo > 0 do
    local v = table.remove(todo)
    for _, c in ipairs(v.constraints) do
      if not c:is_satisfied() then unsatisfied[#unsatisfied + 1] = c end
    end
    local determining = v.determined_by
    for _, c in ipairs(v.constraints) do
      if c ~= determining and c:is_satisfied() then
        c:recalculate()
        todo[#todo + 1] = c:output()
      end
    end
  end
  return unsatisfied
end

function Planner:make_plan(sources)
  local mark = self:new_mark()
  local plan = {}
  local todo, head = sources, 1
  while head <= #todo do
    local c = todo[head]
    head = head + 1
    local out = c:output()
    if out.mark ~= mark and c:inputs_known(mark) then
      plan[#plan + 1] = c
      out.mark = mark
      consumers_of(out, todo)
    end
  end
  return plan
end

function Planner:extract_plan(constraints)
  local sources = {}
  for _, c in ipairs(constraints) do
    if c:is_input() and c:is_satisfied() then sources[#sources + 1] = c end
  end
  return self:make_plan(sources)
end

local function execute_plan(plan)
  for i = 1, #plan do plan[i]:execute() end
end

-- -- Constraints -------------------------------------------------------------

local Constraint = class()

function Constraint:add()
  self:add_to_graph()
  planner:incremental_add(self)
end

function Constraint:destroy()
  if self:is_satisfied() then
    planner:incremental_remove(self)
  else
    self:remove_from_graph()
  end
end

function Constraint:is_input() return false end

-- Tries to satisfy this constraint; returns the constraint it overrode, if any.
function Constraint:satisfy(mark)
  self:choose_method(mark)
  if not self:is_satisfied() then
    if self.strength == REQUIRED then error("could not satisfy a required constraint") end
    return nil
  end
  self:mark_inputs(mark)
  local out = self:output()
  local overridden = out.determined_by
  if overridden ~= nil then overridden:mark_unsatisfied() end
  out.determined_by = self
  if not planner:add_propagate(self, mark) then error("cycle in the constraint graph") end
  out.mark = mark
  return overridden
end

-- Unary constraints: stay and edit.

local Unary = class(Constraint)

function Unary.init(self, v, strength)
  self.var = v
  self.strength = strength
  self.satisfied = false
  self:add()
  return self
end

function Unary:add_to_graph()
  local cs = self.var.constraints
  cs[#cs + 1] = self
  self.satisfied = false
end

function Unary:remove_from_graph()
  remove_item(self.var.constraints, self)
  self.satisfied = false
end

function Unary:choose_method(mark)
  local v = self.var
  self.satisfied = v.mark ~= mark and self.strength < v.walk_strength
end

function Unary:is_satisfied() return self.satisfied end
function Unary:mark_inputs() end
function Unary:output() return self.var end
function Unary:inputs_known() return true end

function Unary:recalculate()
  local v = self.var
  v.walk_strength = self.strength
  v.stay = not self:is_input()
  if v.stay then self:execute() end
end

function Unary:mark_unsatisfied() self.satisfied = false end

local Stay = class(Unary)
function Stay.new(v, strength) return Unary.init(setmetatable({}, Stay), v, strength) end
function Stay:execute() end

local Edit = class(Unary)
function Edit.new(v, strength) return Unary.init(setmetatable({}, Edit), v, strength) end
function Edit:is_input() return true end
function Edit:execute() end

-- Binary constraints: equality and scale.

local Binary = class(Constraint)

function Binary.init(self, a, b, strength)
  self.a = a
  self.b = b
  self.strength = strength
  self.direction = NONE
  self:add()
  return self
end

function Binary:add_to_graph()
  local ca, cb = self.a.constraints, self.b.constraints
  ca[#ca + 1] = self
  cb[#cb + 1] = self
  self.direction = NONE
end

function Binary:remove_from_graph()
  remove_item(self.a.constraints, self)
  remove_item(self.b.constraints, self)
  self.direction = NONE
end

function Binary:choose_method(mark)
  local a, b, s = self.a, self.b, self.strength
  if a.mark == mark then
    self.direction = (b.mark ~= mark and s < b.walk_strength) and FORWARD or NONE
  elseif b.mark == mark then
    self.direction = (a.mark ~= mark and s < a.walk_strength) and BACKWARD or NONE
  elseif a.walk_strength > b.walk_strength then
    self.direction = (s < a.walk_strength) and BACKWARD or NONE
  else
    self.direction = (s < b.walk_strength) and FORWARD or NONE
  end
end

function Binary:is_satisfied() return self.direction ~= NONE end
function Binary:input() if self.direction == FORWARD then return self.a end return self.b end
function Binary:output() if self.direction == FORWARD then return self.b end return self.a end
function Binary:mark_inputs(mark) self:input().mark = mark end
function Binary:mark_unsatisfied() self.direction = NONE end

function Binary:inputs_known(mark)
  local i = self:input()
  return i.mark == mark or i.stay or i.determined_by == nil
end

function Binary:recalculate()
  local i, out = self:input(), self:output()
  out.walk_strength = (self.strength > i.walk_strength) and self.strength or i.walk_strength
  out.stay = i.stay
  if out.stay then self:execute() end
end

local Equality = class(Binary)
function Equality.new(a, b, strength)
  return Binary.init(setmetatable({}, Equality), a, b, strength)
end
function Equality:execute() self:output().value = self:input().value end

-- b = a * scale + offset, where scale and offset are further inputs.
local Scale = class(Binary)

function Scale.new(a, scale, offset, b, strength)
  local c = setmetatable({ scale = scale, offset = offset }, Scale)
  return Binary.init(c, a, b, strength)
end

function Scale:add_to_graph()
  Binary.add_to_graph(self)
  local cs, co = self.scale.constraints, self.offset.constraints
  cs[#cs + 1] = self
  co[#co + 1] = self
end

function Scale:remove_from_graph()
  Binary.remove_from_graph(self)
  remove_item(self.scale.constraints, self)
  remove_item(self.offset.constraints, self)
end

function Scale:mark_inputs(mark)
  Binary.mark_inputs(self, mark)
  self.scale.mark = mark
  self.offset.mark = mark
end

function Scale:execute()
  if self.direction == FORWARD then
    self.b.value = self.a.value * self.scale.value + self.offset.value
  else
    self.a.value = (self.b.value - self.offset.value) / self.scale.value
  end
end

function Scale:recalculate()
  local i, out = self:input(), self:output()
  out.walk_strength = (self.strength > i.walk_strength) and self.strength or i.walk_strength
  out.stay = i.stay and self.scale.stay and self.offset.stay
  if out.stay then self:execute() end
end

-- -- Tests -------------------------------------------------------------------

local failures = 0
local function expect(cond)
  if not cond then failures = failures + 1 end
end

local function change(v, value)
  local edit = Edit.new(v, PREFERRED)
  local plan = planner:extract_plan({ edit })
  for _ = 1, 10 do
    v.value = value
    execute_plan(plan)
  end
  edit:destroy()
end

local function chain_test(m)
  planner = Planner.new()
  local first, last, prev = nil, nil, nil
  for i = 0, m do
    local v = Variable.new("v" .. i, 0)
    if prev then Equality.new(prev, v, REQUIRED) end
    if i == 0 then first = v end
    if i == m then last = v end
    prev = v
  end
  Stay.new(last, STRONG_DEFAULT)
  local edit = Edit.new(first, PREFERRED)
  local plan = planner:extract_plan({ edit })
  local sum = 0
  for i = 1, 100 do
    first.value = i
    execute_plan(plan)
    expect(last.value == i)
    sum = sum + last.value
  end
  edit:destroy()
  return sum + #plan
end

local function projection_test(m)
  planner = Planner.new()
  local scale, offset = Variable.new("scale", 10), Variable.new("offset", 1000)
  local src, dst = nil, nil
  local dests = {}
  for i = 0, m - 1 do
    src = Variable.new("src" .. i, i)
    dst = Variable.new("dst" .. i, i)
    dests[#dests + 1] = dst
    Stay.new(src, NORMAL)
    Scale.new(src, scale, offset, dst, REQUIRED)
  end
  change(src, 17)
  expect(dst.value == 1170)
  change(dst, 1050)
  expect(src.value == 5)
  change(scale, 5)
  local sum = 0
  for i = 0, m - 2 do
    expect(dests[i + 1].value == i * 5 + 1000)
    sum = sum + dests[i + 1].value
  end
  change(offset, 2000)
  for i = 0, m - 2 do
    expect(dests[i + 1].value == i * 5 + 2000)
    sum = sum + dests[i + 1].value
  end
  return sum
end

local total = 0
for _ = 1, rounds do
  total = chain_test(n) + projection_test(n)
end
print(string.format("n = %d  checksum = %d  failures = %d", n, total, failures))
