-- Method definitions and calls: a.b:c(), self, colon syntax.
local a = {b = {name = "inner"}}
function a.b:c(x) return self.name .. ":" .. x end
print(a.b:c("arg"))
print(a.b.c(a.b, "explicit"))
print(a.b.c({name = "other"}, "x"))
local Account = {balance = 0}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v return self end
function Account:get() return self.balance end
local acc = Account.new(100)
print(acc:deposit(50):deposit(25):get())
print(("%d items"):format(3), ("abc"):upper(), ("x"):rep(3, "-"))
local s = "hello"
print(s:len(), s:sub(2, 3), s:byte(1), #s:rep(2))
local t = {n = 0}
function t.add(self, k) self.n = self.n + k end
t:add(5) t.add(t, 6)
print(t.n)
local obj = {items = {}}
function obj:push(...) for _, v in ipairs({...}) do self.items[#self.items + 1] = v end return #self.items end
print(obj:push(1, 2, 3), obj:push(4))
local chain = {v = 1}
function chain:inc() self.v = self.v + 1 return self end
print(chain:inc():inc():inc().v)
local str_method = "%5.1f|"
print(str_method:format(3.14159))
print(pcall(function() local o = {} return o:missing() end))
