#!/usr/bin/env bash
# stdlib/cli.lua (cli.parse): defaults, flags, typed and checked values,
# --opt=value, "--", positional arguments, the generated usage and help, and
# status 2 with "SCRIPT: problem" on stderr for each kind of mistake.
# Usage: bash tests/e2e/stdlib_cli.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "stdlib_cli: $*" >&2; exit 1; }
cd "$tmp"

# No spec.script: the usage names the script by the path it was run with.
cat >try.lua <<'LUA'
local opts = cli.parse(arg, {
  summary = "Tries cli.parse.",
  options = {
    { "--days", value = "N", type = "int", min = 1, max = 30, default = 7, help = "how many days" },
    { "--share", value = "PERCENT", type = "number", min = 0, max = 100 },
    { "--end", key = "last", value = "YYYY-MM-DD", type = "date", default = "2026-11-22" },
    { "--direction", value = "Inbound|Outbound", choices = { "Inbound", "Outbound" } },
    { "--name", value = "NAME", check = function(v) if #v > 2 then return v:upper() end end },
    { "--force", help = "a flag" },
  },
  positional = {
    { "INPUT.csv", help = "the input" },
    { "OUTPUT", optional = true, check = function(v)
        if v:match("%.html$") then return v end
        return nil, "OUTPUT must end in .html, not '" .. v .. "'"
      end },
  },
})
print(opts.days, opts.share, opts.last, opts.direction, opts.name, opts.force, opts.input, opts.output)
LUA
run() {  # expected status, then the script's arguments
  local want=$1
  shift
  status=0
  "$mailflow" --db db --now 2026-11-22 try.lua "$@" >out 2>err || status=$?
  [ "$status" = "$want" ] || fail "try.lua $*: status $status, not $want: $(cat out err)"
}
expect() {  # the one line try.lua prints, then its arguments
  local want=$1
  shift
  run 0 "$@"
  [ "$(cat out)" = "$want" ] || fail "try.lua $*: printed '$(cat out)', not '$want'"
}
T=$'\t'
expect "7${T}nil${T}2026-11-22${T}nil${T}nil${T}false${T}in.csv${T}nil" in.csv
expect "3${T}12.5${T}2026-11-01${T}Outbound${T}ABC${T}true${T}in.csv${T}out.html" \
  --days 3 --share=12.5 --end 2026-11-01 --direction outBOUND --name abc --force in.csv out.html
expect "7${T}nil${T}2026-11-22${T}nil${T}nil${T}false${T}-dash.csv${T}nil" -- -dash.csv
expect "30${T}nil${T}2026-11-22${T}nil${T}nil${T}true${T}in.csv${T}nil" in.csv --force --days 30

# Mistakes: status 2, nothing on stdout, the problem then the usage on stderr.
mistake() {  # expected problem, then the arguments
  local want=$1
  shift
  run 2 "$@"
  [ ! -s out ] || fail "try.lua $*: printed on stdout: $(cat out)"
  [ "$(head -1 err)" = "try.lua: $want" ] || fail "try.lua $*: said '$(head -1 err)', not 'try.lua: $want'"
  sed -n 2p err | grep -q "^usage: mailflow \[--db FILE\] \[--now DATE\] try.lua \[--days N\]" ||
    fail "try.lua $*: no usage: $(cat err)"
}
mistake "INPUT.csv is missing"
mistake "INPUT.csv is missing" --force
mistake "unknown option '--bogus'" in.csv --bogus
mistake "unknown option '-x'" -x in.csv
mistake "--days needs a value (N)" in.csv --days
mistake "--days needs a whole number from 1 to 30, not '31'" --days 31 in.csv
mistake "--days needs a whole number from 1 to 30, not '2.5'" --days=2.5 in.csv
mistake "--share needs a number from 0 to 100, not 'lots'" --share lots in.csv
mistake "--end needs a date YYYY-MM-DD, not '2026-11-31'" --end 2026-11-31 in.csv
mistake "--end needs a date YYYY-MM-DD, not '2026-11'" --end 2026-11 in.csv
mistake "--direction is Inbound or Outbound, not 'up'" --direction up in.csv
mistake "--name: 'ab' is not valid" --name ab in.csv
mistake "--force takes no value" --force=yes in.csv
mistake "--help takes no value" --help=yes
mistake "OUTPUT must end in .html, not 'out.txt'" in.csv out.txt
mistake "unexpected argument 'c' (after in.csv b.html)" in.csv b.html c

# --help and -h: the usage, the summary and every argument and option, status 0.
for help in --help -h; do
  run 0 in.csv "$help"
  head -1 out | grep -q "^usage: mailflow \[--db FILE\] \[--now DATE\] try.lua \[--days N\]" || fail "$help: $(cat out)"
  grep -q "^Tries cli.parse.$" out || fail "$help: no summary: $(cat out)"
  for item in "INPUT.csv *the input" "--days N *how many days" "--force *a flag" "OUTPUT" "--share PERCENT" \
              "--direction Inbound|Outbound" "--help *show this help"; do
    grep -q "^  $item" out || fail "$help does not list '$item': $(cat out)"
  done
  ! grep -q ' $' out || fail "$help: trailing blanks"
  awk 'length > 79 { bad = 1 } END { exit bad }' out || fail "$help: a line over 79 columns: $(cat out)"
done
# The shared option sets: cli.range_options (--days, --end defaulting to
# --now) and cli.threshold_options, joined by cli.options.
cat >sets.lua <<'LUA'
local opts = cli.parse(arg, { options = cli.options(cli.range_options(), {
  { "--force" } }, cli.threshold_options()) })
print(opts.days, opts.last, opts.force, opts.no_tls_threshold, opts.tls10_threshold)
LUA
"$mailflow" --db db --now 2026-11-22 sets.lua >out || fail "sets.lua: $(cat out)"
[ "$(cat out)" = "$(printf '7\t2026-11-22\tfalse\tnil\tnil')" ] || fail "option sets, defaults: $(cat out)"
"$mailflow" --db db --now 2026-11-22 sets.lua --days 3 --end 2026-11-01 --force --tls10-threshold 12.5 >out ||
  fail "sets.lua with values: $(cat out)"
[ "$(cat out)" = "$(printf '3\t2026-11-01\ttrue\tnil\t12.5')" ] || fail "option sets, values: $(cat out)"
status=0
"$mailflow" --db db --now 2026-11-22 sets.lua --no-tls-threshold 101 >out 2>err || status=$?
[ "$status" = 2 ] && grep -q -- "--no-tls-threshold" err || fail "threshold over 100: $status $(cat err)"

echo "stdlib_cli: ok"
