-- Producer/consumer with coroutines passing values both ways, plus a scheduler.
local function producer(items)
  return coroutine.create(function()
    for _, it in ipairs(items) do coroutine.yield(it) end
    return nil
  end)
end
local function consumer(prod)
  local got = {}
  while true do
    local ok, v = coroutine.resume(prod)
    if not v then break end
    got[#got + 1] = v
  end
  return table.concat(got, ",")
end
print(consumer(producer({"a", "b", "c"})))
local tasks, log = {}, {}
local function spawn(name, n)
  tasks[#tasks + 1] = {name = name, co = coroutine.create(function()
    for i = 1, n do log[#log + 1] = name .. i coroutine.yield() end
  end)}
end
spawn("A", 3) spawn("B", 1) spawn("C", 2)
while #tasks > 0 do
  for i = #tasks, 1, -1 do
    local t = tasks[i]
    coroutine.resume(t.co)
    if coroutine.status(t.co) == "dead" then table.remove(tasks, i) end
  end
end
print(table.concat(log, " "))
local acc = coroutine.wrap(function(first)
  local total = first
  while true do
    local nxt = coroutine.yield(total)
    if nxt == nil then return "final " .. total end
    total = total + nxt
  end
end)
print(acc(1), acc(2), acc(3), acc(nil))
local echo = coroutine.create(function(...)
  local args = {...}
  while true do args = {coroutine.yield(table.unpack(args))} if #args == 0 then break end end
  return "bye"
end)
print(coroutine.resume(echo, 1, 2))
print(coroutine.resume(echo, "x"))
print(coroutine.resume(echo))
print(coroutine.status(echo))
