local function iter(s, i) if i > 1 then local z = nil return z.f end return i + 1 end
for i in iter, nil, 0 do end
