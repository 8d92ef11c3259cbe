-- Word-frequency count over data/text.txt, sorted by count then word.
local counts, total = {}, 0
for line in io.lines("data/text.txt") do
  for word in line:gmatch("%a+") do
    word = word:lower()
    counts[word] = (counts[word] or 0) + 1
    total = total + 1
  end
end
local list = {}
for w, c in pairs(counts) do list[#list + 1] = {w = w, c = c} end
table.sort(list, function(a, b) if a.c ~= b.c then return a.c > b.c end return a.w < b.w end)
print("total words", total, "distinct", #list)
for i = 1, 12 do print(string.format("%-10s %3d", list[i].w, list[i].c)) end
local longest = ""
for _, e in ipairs(list) do if #e.w > #longest or (#e.w == #longest and e.w < longest) then longest = e.w end end
print("longest", longest)
local letters = {}
local f = assert(io.open("data/text.txt"))
local text = f:read("a")
f:close()
for c in text:lower():gmatch("%a") do letters[c] = (letters[c] or 0) + 1 end
local ls = {}
for c, n in pairs(letters) do ls[#ls + 1] = c .. n end
table.sort(ls)
print(table.concat(ls, " "))
