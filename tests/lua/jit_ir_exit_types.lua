-- Values of every type live in slots when a guard exits: each must be
-- written back exactly (ints, floats, strings, tables, booleans, nil,
-- functions, and a float that is -0.0).
local function f() return "f" end
local tab = {10, 20, 30}
local results = {}
for round = 1, 3 do
  local i1, fl, st, tb, bt, bf, nl, fn, nz = 0, 0.5, "s", tab, true, false, nil, f, -0.0
  for i = 1, 30 do
    i1 = i1 + i
    fl = fl * 1.5
    st = (i % 2 == 0) and "even" or "odd"
    tb = (i % 3 == 0) and results or tab
    bt = i % 4 ~= 0
    bf = not bt
    nl = (i % 5 == 0) and i or nil
    fn = (i % 2 == 0) and f or print
    nz = nz * 1.0
    if i == 10 * round then
      -- exits here in some rounds (the branch is rarely taken)
      results[#results + 1] = string.format("%d %d %.3f %s %s %s %s %s %s %s", round, i1, fl, st,
        tostring(tb == tab), tostring(bt), tostring(bf), tostring(nl), tostring(fn == f),
        tostring(1 / nz))
    end
  end
  print(round, i1, fl, st, tb == tab, bt, bf, nl, fn == f, fn == print, 1 / nz)
end
for _, r in ipairs(results) do print(r) end

-- A type changes inside the loop: the guard on it exits with the other
-- slots live.
local vals = {1, 2, 3, 4.5, "x", 6, true, 8, nil, 10}
local cnt, last, str = 0, 0, ""
for i = 1, 10 do
  local v = vals[i]
  cnt = cnt + 1
  str = str .. type(v) .. ","
  if type(v) == "number" then last = last + v end
end
print(cnt, last, str)
