-- A priority-queue based event simulation with a fixed pseudo-random source.
local Heap = {}
Heap.__index = Heap
function Heap.new(cmp) return setmetatable({n = 0, cmp = cmp}, Heap) end
function Heap:push(v)
  self.n = self.n + 1
  local i = self.n
  self[i] = v
  while i > 1 do
    local p = i // 2
    if self.cmp(self[i], self[p]) then self[i], self[p] = self[p], self[i] i = p else break end
  end
end
function Heap:pop()
  if self.n == 0 then return nil end
  local top = self[1]
  self[1] = self[self.n]
  self[self.n] = nil
  self.n = self.n - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= self.n and self.cmp(self[l], self[m]) then m = l end
    if r <= self.n and self.cmp(self[r], self[m]) then m = r end
    if m == i then break end
    self[i], self[m] = self[m], self[i]
    i = m
  end
  return top
end
local seed = 12345
local function rnd(n) seed = (seed * 6364136223846793005 + 1442695040888963407) return (seed >> 33) % n + 1 end
local events = Heap.new(function(a, b) if a.t ~= b.t then return a.t < b.t end return a.id < b.id end)
local id = 0
local function schedule(t, kind) id = id + 1 events:push({t = t, kind = kind, id = id}) end
for i = 1, 20 do schedule(rnd(100), "arrive") end
local served, waiting, busy_until, log = 0, 0, 0, {}
while events.n > 0 do
  local e = events:pop()
  if e.kind == "arrive" then
    if busy_until <= e.t then busy_until = e.t + rnd(10) schedule(busy_until, "done")
    else waiting = waiting + 1 end
  else
    served = served + 1
    if waiting > 0 then waiting = waiting - 1 busy_until = e.t + rnd(10) schedule(busy_until, "done") end
  end
  if #log < 8 then log[#log + 1] = e.kind:sub(1, 1) .. e.t end
end
print(served, waiting, busy_until)
print(table.concat(log, " "))
local h = Heap.new(function(a, b) return a > b end)
for _, v in ipairs({5, 1, 9, 3, 7, 9, 2}) do h:push(v) end
local out = {}
while h.n > 0 do out[#out + 1] = h:pop() end
print(table.concat(out, " "))
