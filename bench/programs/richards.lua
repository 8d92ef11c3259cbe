-- richards.lua: a Richards-like operating-system scheduler simulation: task
-- control blocks with priorities, packet queues as linked lists, and four kinds
-- of task behaviour written as classes with metatables and method calls.
-- bench-group: oop
-- bench-quick: 2
-- usage: richards.lua [iterations]   (default 40)

local iterations = tonumber(arg and arg[1]) or 40

local ID_IDLE, ID_WORKER, ID_HANDLER_A, ID_HANDLER_B, ID_DEVICE_A, ID_DEVICE_B = 1, 2, 3, 4, 5, 6
local KIND_DEVICE, KIND_WORK = 0, 1
local DATA_SIZE = 4

local function class()
  local c = {}
  c.__index = c
  return c
end

-- -- Packets -------------------------------------------------------------

local Packet = class()

function Packet.new(link, id, kind)
  return setmetatable({ link = link, id = id, kind = kind, a1 = 0, a2 = { 0, 0, 0, 0 } }, Packet)
end

-- Appends this packet to the end of queue and returns the queue's head.
function Packet:append_to(queue)
  self.link = nil
  if queue == nil then return self end
  local last = queue
  while last.link ~= nil do last = last.link end
  last.link = self
  return queue
end

-- -- Task control blocks -----------------------------------------------------

local Tcb = class()

function Tcb.new(link, id, priority, queue, behaviour)
  local t = setmetatable({ link = link, id = id, priority = priority, queue = queue,
                           behaviour = behaviour, pending = queue ~= nil,
                           waiting = true, held = false }, Tcb)
  return t
end

function Tcb:blocked()
  return self.held or (not self.pending and self.waiting)
end

function Tcb:run(sched)
  local packet = nil
  if self.pending and self.waiting and not self.held then
    packet = self.queue
    self.queue = packet.link
    self.waiting = false
    self.pending = self.queue ~= nil
  end
  return self.behaviour:run(sched, packet)
end

-- Delivers packet to this task; returns the task that should run next.
function Tcb:deliver(current, packet)
  if self.queue == nil then
    self.queue = packet
    self.pending = true
    if self.priority > current.priority then return self end
  else
    self.queue = packet:append_to(self.queue)
  end
  return current
end

-- -- Scheduler ---------------------------------------------------------------

local Scheduler = class()

function Scheduler.new()
  return setmetatable({ list = nil, blocks = {}, current = nil,
                        queue_count = 0, hold_count = 0 }, Scheduler)
end

function Scheduler:add(id, priority, queue, behaviour)
  local t = Tcb.new(self.list, id, priority, queue, behaviour)
  self.list = t
  self.blocks[id] = t
  return t
end

function Scheduler:schedule()
  local t = self.list
  while t ~= nil do
    if t:blocked() then
      t = t.link
    else
      self.current = t
      t = t:run(self)
    end
  end
end

function Scheduler:release(id)
  local t = self.blocks[id]
  t.held = false
  if t.priority > self.current.priority then return t end
  return self.current
end

function Scheduler:hold_current()
  self.hold_count = self.hold_count + 1
  self.current.held = true
  return self.current.link
end

function Scheduler:suspend_current()
  self.current.waiting = true
  return self.current
end

function Scheduler:send(packet)
  local t = self.blocks[packet.id]
  self.queue_count = self.queue_count + 1
  packet.link = nil
  packet.id = self.current.id
  return t:deliver(self.current, packet)
end

-- -- Task behaviours ---------------------------------------------------------

local Idle = class()

function Idle.new(count)
  return setmetatable({ state = 1, count = count }, Idle)
end

function Idle:run(sched)
  self.count = self.count - 1
  if self.count == 0 then return sched:hold_current() end
  self.state = (self.state * 75 + 74) % 65537
  if self.state % 2 == 0 then return sched:release(ID_DEVICE_A) end
  return sched:release(ID_DEVICE_B)
end

local Worker = class()

function Worker.new()
  return setmetatable({ dest = ID_HANDLER_A, counter = 0 }, Worker)
end

function Worker:run(sched, packet)
  if packet == nil then return sched:suspend_current() end
  if self.dest == ID_HANDLER_A then self.dest = ID_HANDLER_B else self.dest = ID_HANDLER_A end
  packet.id = self.dest
  packet.a1 = 0
  for i = 1, DATA_SIZE do
    self.counter = self.counter + 1
    if self.counter > 26 then self.counter = 1 end
    packet.a2[i] = self.counter
  end
  return sched:send(packet)
end

local Handler = class()

function Handler.new()
  return setmetatable({ work = nil, devices = nil }, Handler)
end

function Handler:run(sched, packet)
  if packet ~= nil then
    if packet.kind == KIND_WORK then
      self.work = packet:append_to(self.work)
    else
      self.devices = packet:append_to(self.devices)
    end
  end
  local work = self.work
  if work ~= nil then
    local count = work.a1
    if count < DATA_SIZE then
      local dev = self.devices
      if dev ~= nil then
        self.devices = dev.link
        dev.a1 = work.a2[count + 1]
        work.a1 = count + 1
        return sched:send(dev)
      end
    else
      self.work = work.link
      return sched:send(work)
    end
  end
  return sched:suspend_current()
end

local Device = class()

function Device.new()
  return setmetatable({ held_packet = nil }, Device)
end

function Device:run(sched, packet)
  if packet == nil then
    local p = self.held_packet
    if p == nil then return sched:suspend_current() end
    self.held_packet = nil
    return sched:send(p)
  end
  self.held_packet = packet
  return sched:hold_current()
end

-- -- Driver ------------------------------------------------------------------

local function run_once(count)
  local sched = Scheduler.new()
  local idle = sched:add(ID_IDLE, 0, nil, Idle.new(count))
  idle.waiting = false

  local q = Packet.new(nil, ID_WORKER, KIND_WORK)
  q = Packet.new(q, ID_WORKER, KIND_WORK)
  sched:add(ID_WORKER, 1000, q, Worker.new())

  q = Packet.new(nil, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  sched:add(ID_HANDLER_A, 2000, q, Handler.new())

  q = Packet.new(nil, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  sched:add(ID_HANDLER_B, 3000, q, Handler.new())

  sched:add(ID_DEVICE_A, 4000, nil, Device.new())
  sched:add(ID_DEVICE_B, 5000, nil, Device.new())
  sched:schedule()
  return sched.queue_count, sched.hold_count
end

local qc, hc = 0, 0
for _ = 1, iterations do
  qc, hc = run_once(10000)
end
print(string.format("queue count %d, hold count %d", qc, hc))
