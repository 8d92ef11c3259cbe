-- Table access with keys in variables (strings, floats, booleans, tables)
-- in traces: raw lookups and inserts through helpers, loads of other
-- fields around them (not hoisted past an insert), and setmetatable in
-- loops whose field reads depend on the metatable.

-- 1. string keys in variables: counts, inserts that rehash
local words = {}
for i = 1, 60 do words[i] = "w" .. (i % 17) end
local count = {}
for r = 1, 50 do
  for i = 1, #words do
    local w = words[i]
    count[w] = (count[w] or 0) + 1
  end
end
local keys = {}
for k in pairs(count) do keys[#keys + 1] = k end
table.sort(keys)
local out = {}
for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. count[k] end
print(table.concat(out, " "))

-- 2. a field read next to inserts of new keys (rehash inside the loop)
local g = { fixed = 7 }
local seen = 0
for i = 1, 300 do
  seen = seen + g.fixed
  g["k" .. i] = i
  seen = seen + g.fixed + g["k" .. i]
end
print("grow", seen)

-- 3. nil values stored (deletion), then read back
local d = {}
for i = 1, 20 do d["x" .. i] = i end
local dsum = 0
for i = 1, 200 do
  local k = "x" .. (i % 20 + 1)
  if i % 3 == 0 then d[k] = nil else d[k] = i end
  dsum = dsum + (d[k] or -1)
end
print("delete", dsum)

-- 4. other key types: floats (integral and not), booleans, tables
local t = { [1] = "one", [2.5] = "two and a half", [true] = "yes", [false] = "no" }
local tk = {}
t[tk] = "table key"
local ks = { 1.0, 2.5, true, false, tk, 3, "absent" }
local parts = {}
for r = 1, 100 do
  for i = 1, #ks do
    local v = t[ks[i]]
    if r == 100 then parts[#parts + 1] = tostring(v) end
  end
end
print(table.concat(parts, ","))
local nanv = 0 / 0
local nr = 0
for i = 1, 200 do if t[nanv] == nil then nr = nr + 1 end end
print("nan", nr)

-- 5. a table that gets a metatable in the middle of the loop
local base = { shared = 100 }
local objs = {}
for i = 1, 400 do objs[i] = { own = i } end
local mt = { __index = base }
local acc = 0
for i = 1, 400 do
  local o = objs[i]
  if i > 200 then setmetatable(o, mt) end
  acc = acc + o.own + (o.shared or 0)
end
print("meta", acc)

-- 6. string keys into a table with __newindex / __index: the metamethods run
local log = {}
local proxy = setmetatable({}, {
  __newindex = function(t2, k, v) rawset(t2, k, v * 2); log[#log + 1] = k end,
  __index = function(_, k) return #k end,
})
local ps = 0
for i = 1, 100 do
  local k = "p" .. (i % 10)
  if i % 2 == 0 then proxy[k] = i end
  ps = ps + proxy[k]
end
print("proxy", ps, #log)
