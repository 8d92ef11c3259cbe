-- hooks set while traces exist
local function work(n)
  local s = 0
  for i = 1, n do s = s + i % 7 end
  return s
end
for _ = 1, 50 do work(1000) end  -- traces exist now
local lines = {}
debug.sethook(function(ev, line) lines[line] = (lines[line] or 0) + 1 end, "l")
print(work(100))
debug.sethook()
local ks = {} for k, v in pairs(lines) do ks[#ks+1] = k .. "=" .. v end table.sort(ks) print(table.concat(ks, " "))
local cnt = 0
debug.sethook(function() cnt = cnt + 1 end, "", 1)
work(50)
debug.sethook()
print(cnt)
-- hook set from inside a hot loop
local seen = 0
local s = 0
for i = 1, 2000 do
  s = s + i
  if i == 1500 then debug.sethook(function(ev, l) seen = seen + 1 end, "l") end
end
debug.sethook()
print(s, seen)
-- getlocal from a call made inside a hot loop
local function getvar(level, name)
  for i = 1, 200 do
    local n, v = debug.getlocal(level + 1, i)
    if n == nil then return nil end
    if n == name then return v end
  end
end
local function peek() local v = getvar(2, "acc") return v end
local acc = 0
for i = 1, 300 do
  acc = acc + i * 2
  local seen2 = peek()
  if seen2 ~= acc then print("mismatch", i, seen2, acc) break end
end
print(acc)
local function peek3() local v = getvar(2, "i") return v end
local t = 0.5
for i = 1, 300 do
  t = t + 0.25
  local v = peek3()
  if v ~= i then print("loopvar mismatch", i, v) break end
end
print(t)
-- getlocal from a call that trace code makes through its slow path
local function probe(t, i, ...) if i % 50 == 0 then local v = getvar(2, "sum") t[#t + 1] = v end end
local got = {}
local sum = 0
for i = 1, 400 do
  sum = sum + i
  sum = sum + 1
  sum = sum - 1
  sum = sum * 1
  probe(got, i)
end
print(sum, table.concat(got, ","))
-- setlocal from a called function changes the loop's value
local function bump(i, ...) if i % 100 ~= 0 then return end local j = 1 while true do local n = debug.getlocal(2, j) if n == "total" then debug.setlocal(2, j, select(2, debug.getlocal(2, j)) + 1000) return end j = j + 1 end end
local total = 0
for i = 1, 300 do
  total = total + i
  total = total + 1
  total = total - 1
  total = total * 1
  bump(i)
end
print(total)
-- tail call events and hooks on a coroutine
local ev = {}
local function t2(n) if n == 0 then return "done" end return t2(n - 1) end
debug.sethook(function(e) local i = debug.getinfo(2, "S") if i.what == "Lua" then ev[#ev + 1] = e end end, "cr")
t2(2)
debug.sethook()
print(table.concat(ev, " "))
local co = coroutine.create(function(n) local x = 0 for i = 1, n do x = x + i end coroutine.yield(x) return x end)
local colines = {}
debug.sethook(co, function(e, l) colines[#colines + 1] = l end, "l")
print(coroutine.resume(co, 3))
print(debug.gethook(co) ~= nil, debug.gethook())
debug.sethook(co)
print(coroutine.resume(co))
print(table.concat(colines, " "))
-- a hook that errors is caught by pcall and hooks are usable afterwards
local ok, msg = pcall(function()
  debug.sethook(function() debug.sethook() error("in hook") end, "l")
  local q = 1
  return q
end)
print(ok, msg)
local n2 = 0
debug.sethook(function() n2 = n2 + 1 end, "l")
local z = 1
z = z + 1
debug.sethook()
print(n2)
-- a function whose first instruction is a loop head: one call event only
local function loop0(n) while n > 0 do n = n - 1 end return n end
local evs = {}
debug.sethook(function(e) local i = debug.getinfo(2, "S") evs[#evs + 1] = e .. "@" .. i.what end, "crl")
loop0(3)
debug.sethook()
print(#evs, table.concat(evs, " "))
-- line events of a function entered before the hook was set
local function late()
  local a = 1
  debug.sethook(function(e, l) evs[#evs + 1] = l end, "l")
  a = a + 1
  a = a * 2
  debug.sethook()
  return a
end
evs = {}
print(late(), table.concat(evs, " "))
