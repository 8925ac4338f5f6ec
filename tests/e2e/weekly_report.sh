#!/usr/bin/env bash
# scripts/weekly-report.lua: the previous Monday-Sunday week before --now,
# the default file name, --force, and usage on bad arguments.
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
script="$PWD/scripts/weekly-report.lua"
sample="$PWD/examples/sample-traces.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "weekly_report: $*" >&2; exit 1; }
cd "$tmp"
"$mailflow" --db db --now 2026-11-22 -c "Import-MessageTrace -Path '$sample'" >/dev/null

# Monday 2026-11-23: the week that just ended.
"$mailflow" --db db --now 2026-11-23 "$script" >out || fail "the script failed: $(cat out)"
[ -f mailflow-week-2026-11-16.html ] || fail "no mailflow-week-2026-11-16.html: $(ls)"
grep -q "Monday 2026-11-16 to Sunday 2026-11-22" out || fail "unexpected output: $(cat out)"
grep -q '2026-11-16 – 2026-11-22 (7 days, UTC)' mailflow-week-2026-11-16.html || fail "wrong range in the report"

# Sunday 2026-11-22 is still in the current week: the week before it.
"$mailflow" --db db --now 2026-11-22 "$script" week.html >out
grep -q '2026-11-09 – 2026-11-15 (7 days, UTC)' week.html || fail "Sunday run: wrong week"

# The file is kept without --force and replaced with it.
if "$mailflow" --db db --now 2026-11-29 "$script" week.html >out 2>err; then
  fail "an existing report was replaced without --force"
fi
grep -q "already exists" err || fail "unclear refusal: $(cat err)"
grep -q '2026-11-09 – 2026-11-15' week.html || fail "the refused run changed the file"
"$mailflow" --db db --now 2026-11-29 "$script" --force --direction outbound week.html >out
grep -q '2026-11-16 – 2026-11-22 (7 days, UTC)' week.html || fail "--force did not replace the report"
grep -q 'data-chart="mailflow-outbound"' week.html || fail "--direction outbound lost the outbound chart"
! grep -q 'data-chart="mailflow-inbound"' week.html || fail "--direction outbound kept the inbound chart"

# Bad arguments: usage and exit status 2.
for bad in "--bogus" "--direction sideways" "--direction" "a.html b.html"; do
  status=0
  # shellcheck disable=SC2086
  "$mailflow" --db db --now 2026-11-23 "$script" $bad >out 2>&1 || status=$?
  [ "$status" = 2 ] || fail "'$bad' exited $status, not 2: $(cat out)"
  grep -q "^usage: mailflow" out || fail "'$bad' printed no usage: $(cat out)"
done
"$mailflow" --db db --now 2026-11-23 "$script" --help | grep -q "^usage: mailflow" || fail "--help"
echo "weekly_report: ok"
