#!/usr/bin/env bash
# scripts/tls-deprecation.lua end to end: it writes the dashboard of the last
# whole week with its "TLS readiness" section, lists the peers below the
# target and exits 3 while old TLS is in use; 0 once nothing below the target
# was used; 2 on a bad argument. Traffic: tests/e2e/input/tls_readiness.csv
# (run on Monday 2026-11-23: the week of 2026-11-16).
# Usage: bash tests/e2e/tls_deprecation.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
script="$PWD/scripts/tls-deprecation.lua"
input="$PWD/tests/e2e/input/tls_readiness.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 COLUMNS=200
unset MAILFLOW_RULES MAILFLOW_DB
fail() { echo "tls_deprecation: $*" >&2; exit 1; }
cd "$tmp"
run() {  # run DB ARGS... ; sets $status
  set +e
  "$mailflow" --db "$1" --now 2026-11-23 "$script" "${@:2}" >out.txt 2>err.txt
  status=$?
  set -e
}

"$mailflow" --db old.db -c "Import-MessageTrace -Path '$input'" >/dev/null
run old.db
[ "$status" = 3 ] || fail "exit $status with old TLS in use, not 3: $(cat out.txt err.txt)"
[ -s tls-readiness-2026-11-16.html ] || fail "no dashboard written: $(ls)"
grep -q 'Wrote .*tls-readiness-2026-11-16.html' out.txt || fail "$(cat out.txt)"
for peer in fabrikam.com example.co.uk tailspin.com.au 198.51.100.7; do
  grep -q "$peer" out.txt || fail "peer $peer not listed: $(cat out.txt)"
done
python3 - tls-readiness-2026-11-16.html <<'PY' || fail "the dashboard's TLS readiness section"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
section = html[html.index('<section id="tls-readiness">'):]
section = section[:section.index("</section>")]
peers = re.search(r'<table id="tls-old-peers">(.*?)</table>', section, re.S).group(1)
rows = re.findall(r'<tr><th scope="row">([^<]*)</th>', peers)
assert rows == ["fabrikam.com", "example.co.uk", "tailspin.com.au", "198.51.100.7"], rows
policy = re.search(r'<table id="tls-policy">(.*?)</table>', section, re.S).group(1)
assert "fabrikam.com, example.co.uk" in policy and "44.44" in policy, policy
trust = re.search(r'<table id="tls-outbound-trust">(.*?)</table>', section, re.S).group(1)
assert re.findall(r'<th scope="row">([^<]*)</th>', trust) == ["Verified", "Trusted", "Untrusted"], trust
assert 'No failed TLS handshake in this range.' in section
PY

# The target TLS1.1: the peers that used TLS1.0 or plain text remain.
run old.db --force --minimum TLS1.1
[ "$status" = 3 ] || fail "--minimum TLS1.1: exit $status"
grep -q "example.co.uk" out.txt && fail "--minimum TLS1.1 lists example.co.uk (lowest TLS1.1): $(cat out.txt)"

# Without --force an existing dashboard is kept and the script fails.
run old.db
[ "$status" = 1 ] || fail "an existing file without --force: exit $status"

# Only TLS 1.2 and 1.3: nothing to report, exit 0.
head -1 "$input" >new.csv
grep -E ',TLS1\.(2|3),' "$input" >>new.csv
"$mailflow" --db new.db -c "Import-MessageTrace -Path new.csv" >/dev/null
run new.db new.html
[ "$status" = 0 ] || fail "exit $status with TLS 1.2+ only: $(cat out.txt err.txt)"
grep -q "Nothing used TLS below TLS1.2" out.txt || fail "$(cat out.txt)"

run new.db --minimum TLS9 x.html
[ "$status" = 2 ] || fail "--minimum TLS9: exit $status"
grep -q "TLS9" err.txt || fail "--minimum TLS9: $(cat err.txt)"
echo "tls_deprecation: ok"
