#!/usr/bin/env bash
# Import-MessageTrace from a Lua script: ImportMessageTrace{ Path = ... }
# returns one summary record per file, and a re-import from Lua adds nothing.
# Usage: bash tests/e2e/import_lua.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$(realpath "$1")"
root="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cp "$root/examples/sample-traces.csv" "$work/"
cat > "$work/import.lua" <<'LUA'
local total = 0
for run = 1, 2 do
  local r = ImportMessageTrace{ Path = arg[1] }
  print(run, #r, r[1].Format, r[1].Lines, r[1].Imported, r[1].Duplicates, r[1].Rejected)
end
LUA
out="$(cd "$work" && "$mailflow" --db t.db --now 2026-11-22 import.lua sample-traces.csv)" || fail "import.lua exited $?"
[ "$out" = $'1\t1\tCsv\t4505\t4504\t0\t0\n2\t1\tCsv\t4505\t0\t4504\t0' ] || fail "import.lua printed '$out'"
# A missing file is a Lua error naming it, status 1.
printf 'ImportMessageTrace{ Path = "missing.csv" }\n' > "$work/missing.lua"
(cd "$work" && "$mailflow" --db t.db missing.lua 2> err); rc=$?
[ "$rc" = 1 ] || fail "missing.lua exited $rc, expected 1"
grep -q "cannot import 'missing.csv': no such file" "$work/err" || fail "missing.lua stderr: $(cat "$work/err")"
echo "import lua e2e: ok"
