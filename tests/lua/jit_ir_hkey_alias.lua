-- Hash-part field access in traces: the GHKEY guards (several keys of one
-- table, where one key guard's size check covers the others: the hkey
-- rule), tables of different sizes behind the same variable, the same
-- table under two names (stores through one, loads through the other),
-- tables that grow or shrink inside the loop, and stores followed by
-- exits. Run with -Ohotloop=1 the traces start at once.

local function fmt(x) return string.format("%.6f", x) end

-- 1. Bodies like nbody's: many fields of the body table, some stored.
local bodies = {}
for i = 1, 5 do
  bodies[i] = {x = i, y = 2 * i, z = 3 * i, vx = 0.5, vy = -0.5, vz = 0.25,
               mass = 1 + i / 10}
end
local function advance(bs, n, dt)
  for i = 1, n do
    local bi = bs[i]
    local bix, biy, biz, bim = bi.x, bi.y, bi.z, bi.mass
    for j = i + 1, n do
      local bj = bs[j]
      local dx, dy, dz = bix - bj.x, biy - bj.y, biz - bj.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * math.sqrt(d2))
      bj.vx = bj.vx + dx * bim * mag
      bj.vy = bj.vy + dy * bim * mag
      bj.vz = bj.vz + dz * bim * mag
      bi.vx = bi.vx - dx * bj.mass * mag
    end
    bi.x = bix + dt * bi.vx
    bi.y = biy + dt * bi.vy
    bi.z = biz + dt * bi.vz
  end
end
for _ = 1, 40 do advance(bodies, #bodies, 0.01) end
for i = 1, 5 do
  local b = bodies[i]
  print(i, fmt(b.x), fmt(b.y), fmt(b.z), fmt(b.vx), fmt(b.vy), fmt(b.vz))
end

-- 2. One variable, tables of different hash sizes and key orders: a key at
-- a high node index in one table is at a low one (or absent) in another.
local small = {a = 1}
local mid = {a = 1, b = 2, c = 3}
local big = {a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9}
local shapes = {big, big, big, mid, big, small, big, mid, mid, small, big}
local sum = 0
for k = 1, #shapes do
  local t = shapes[k]
  -- read a late key first, then earlier ones; small has no `h`
  local h = t.h or 0
  local c = t.c or 0
  local a = t.a
  sum = sum + h * 100 + c * 10 + a
end
print("shapes", sum)

-- 3. The same table under two names: stores through one name must be
-- seen by loads through the other, in the same iteration and the next.
local p = {v = 1, w = 2}
local q = p
local acc = 0
for i = 1, 30 do
  p.v = p.v + i
  acc = acc + q.v      -- just stored through p
  q.w = q.w * 2 % 1000
  acc = acc + p.w      -- just stored through q
end
print("alias", acc, p.v, p.w, q.v, q.w)

-- two names that are sometimes the same table
local t1, t2 = {n = 0, m = 0}, {n = 100, m = 100}
local pairs_of = {{t1, t1}, {t1, t2}, {t2, t2}, {t2, t1}}
for i = 1, 40 do
  local pr = pairs_of[i % 4 + 1]
  local a, b = pr[1], pr[2]
  a.n = a.n + 1
  b.m = b.m + a.n
  a.m = a.m - 1
end
print("sometimes", t1.n, t1.m, t2.n, t2.m)

-- 4. A table that grows inside the loop (new keys rehash the hash part)
-- and one that shrinks (nils, then a new key: the rehash may shrink it).
local g = {k1 = 1}
local names = {}
for i = 1, 40 do names[i] = "key" .. i end
local seen = 0
for i = 1, 40 do
  seen = seen + (g.k1 or 0)
  g[names[i]] = i           -- may resize g
  seen = seen + (g.k1 or 0) + (g[names[i]] or 0)
end
print("grow", seen)

local s = {}
for i = 1, 16 do s["f" .. i] = i end
local total = 0
for i = 1, 16 do
  total = total + (s.f16 or 0) + (s.f1 or 0) + (s.f8 or 0)
  s["f" .. i] = nil         -- empty it, key by key
  if i % 4 == 0 then s["new" .. i] = i end -- and insert: a rehash
  total = total + (s.f2 or 0) + (s.f15 or 0)
end
print("shrink", total)

-- 5. Stores, then an exit: the trace leaves on a type change after some
-- fields were written; the interpreter must see every store.
local r = {x = 0, y = 0, z = 0}
local vals = {}
for i = 1, 30 do vals[i] = i end
vals[20] = "twenty"
local ok, err = pcall(function()
  for i = 1, 30 do
    r.x = r.x + 1
    r.y = r.y + vals[i] -- errors at i = 20, after r.x was stored
    r.z = r.z + 1
  end
end)
print("exit", ok, (err:gsub("^.-:%d+: ", "")), r.x, r.y, r.z)

-- floats and integers through the same field
local m = {f = 0}
for i = 1, 30 do
  if i % 7 == 0 then m.f = m.f + 0.5 else m.f = m.f + 1 end
end
print("mixed", m.f, math.type(m.f))
