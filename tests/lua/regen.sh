#!/bin/sh
# regen.sh: regenerate expectations from the reference interpreter lua5.4.
#
# Usage: regen.sh <script.lua>...   (paths relative to tests/lua/)
# Writes <name>.out from stdout.  If the script exits with a non-zero status,
# also writes <name>.err (first stderr line, program name replaced by "lua:")
# and says so; otherwise removes a stale <name>.err.  Read every regenerated
# file before committing it: the expectation must be what Lua 5.4 semantics say.

cd "$(dirname "$0")" || exit 2
LUA=${LUA:-lua5.4}
for s in "$@"; do
    base=${s%.lua}
    "$LUA" "$s" </dev/null >"$base.out" 2>/tmp/regen_stderr.$$
    status=$?
    if [ "$status" -ne 0 ]; then
        head -n 1 /tmp/regen_stderr.$$ | sed '1s/^[^:]*: /lua: /' >"$base.err"
        echo "$s: exit $status, wrote $base.err: $(cat "$base.err")"
    else
        rm -f "$base.err"
    fi
done
rm -f /tmp/regen_stderr.$$
