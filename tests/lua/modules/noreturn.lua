-- Helper module that returns nothing: require stores true.
NORETURN_LOADED = true
