-- Helper package loaded through ?/init.lua.
return {kind = "package init", args = select('#', ...)}
