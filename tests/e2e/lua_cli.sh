#!/usr/bin/env bash
# mailflow SCRIPT.lua: arguments, exit(n), Lua errors as `file:line: message`
# with status 1, sandbox errors, --rules loading (good, broken, duplicate).
# Usage: bash tests/e2e/lua_cli.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { "$mailflow" --db "$work/t.db" --now 2026-11-22 "$@"; }

# Arguments and output.
cat > "$work/args.lua" <<'LUA'
print(#arg, arg[1], arg[2], dates.today(), dates.add(dates.today(), -6))
LUA
out="$(run "$work/args.lua" one --two)" || fail "args.lua exited $?"
[ "$out" = $'2\tone\t--two\t2026-11-22\t2026-11-16' ] || fail "args.lua printed '$out'"

# exit(n), even from inside pcall.
printf 'pcall(exit, 3)\nerror("not reached")\n' > "$work/exit.lua"
run "$work/exit.lua"; rc=$?
[ "$rc" = 3 ] || fail "exit.lua: status $rc, expected 3"

# A Lua error: file:line: message on stderr, status 1, nothing on stdout.
printf 'local rows = {}\n\nlocal n = rows.total + 1\n' > "$work/broken.lua"
out="$(run "$work/broken.lua" 2> "$work/err")"; rc=$?
[ "$rc" = 1 ] || fail "broken.lua: status $rc, expected 1"
[ -z "$out" ] || fail "broken.lua printed '$out'"
[ "$(cat "$work/err")" = "$work/broken.lua:3: attempt to perform arithmetic on a nil value (field 'total')" ] ||
  fail "broken.lua stderr: $(cat "$work/err")"

# The sandbox: no os.execute, no io without --allow-io.
printf 'os.execute("touch %s/pwned")\n' "$work" > "$work/escape.lua"
run "$work/escape.lua" 2> "$work/err"; rc=$?
[ "$rc" = 1 ] && [ ! -e "$work/pwned" ] || fail "escape.lua: status $rc"
grep -q "escape.lua:1: attempt to call a nil value (field 'execute')" "$work/err" || fail "escape.lua stderr: $(cat "$work/err")"
printf 'local f = io.open("%s/out.txt", "w") f:write("ok") f:close()\n' "$work" > "$work/io.lua"
run "$work/io.lua" 2> "$work/err"; rc=$?
[ "$rc" = 1 ] && grep -q "undeclared global 'io'" "$work/err" || fail "io.lua without --allow-io: status $rc"
run --allow-io "$work/io.lua" || fail "io.lua with --allow-io failed"
[ "$(cat "$work/out.txt")" = ok ] || fail "io.lua did not write"

# A runaway script is stopped by its budget.
printf 'while true do end\n' > "$work/loop.lua"
MAILFLOW_LUA_SCRIPT_BUDGET=100000 run "$work/loop.lua" 2> "$work/err"; rc=$?
[ "$rc" = 1 ] && grep -q "exceeded its instruction budget of 100000 instructions (MAILFLOW_LUA_SCRIPT_BUDGET)" "$work/err" ||
  fail "loop.lua: status $rc: $(cat "$work/err")"

# --rules: good files load, broken and duplicate ones are reported and skipped.
mkdir -p "$work/rules"
cat > "$work/rules/a.lua" <<'LUA'
RegisterInsightRule{ Name = "Custom", Title = "custom", Evaluate = function() return false end }
LUA
printf 'RegisterInsightRule{ Name = "Broken",\n  Evaluate = function() end\n' > "$work/rules/b.lua"
cat > "$work/rules/c.lua" <<'LUA'
RegisterInsightRule{ Name = "NoTls", Title = "again", Evaluate = function() return false end }
LUA
printf 'print(RegisterInsightRule ~= nil)\n' > "$work/check.lua"
out="$(run --rules "$work/rules" "$work/check.lua" 2> "$work/err")" || fail "--rules: status $?"
[ "$out" = true ] || fail "--rules check printed '$out'"
grep -q "^mailflow: skipped rule file $work/rules/b.lua:3: .* expected" "$work/err" || fail "b.lua not reported: $(cat "$work/err")"
grep -q "^mailflow: skipped rule file $work/rules/c.lua:1: insight rule 'NoTls' is defined twice: in .*stdlib/rules/no_tls.lua and in $work/rules/c.lua" "$work/err" ||
  fail "duplicate not reported: $(cat "$work/err")"
[ "$(wc -l < "$work/err")" = 2 ] || fail "unexpected stderr: $(cat "$work/err")"
run --rules "$work/nope" "$work/check.lua" 2> "$work/err"; rc=$?
[ "$rc" = 2 ] || fail "--rules missing dir: status $rc"
MAILFLOW_RULES="$work/rules" run "$work/check.lua" 2> "$work/err" > /dev/null || fail "MAILFLOW_RULES: status $?"
grep -q "b.lua:3:" "$work/err" || fail "MAILFLOW_RULES not loaded"
echo "lua_cli: ok"
