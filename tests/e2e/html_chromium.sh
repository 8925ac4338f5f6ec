#!/usr/bin/env bash
# Renders the HTML report of the sample data in headless Chromium (Debian's
# `chromium`, installed by `./setup.sh test`) and checks that the page draws
# (the screenshot is not blank and shows the TLS and connector colours) and
# logs nothing to the console: no script error and no request blocked by the
# page's Content-Security-Policy. A control page proves both checks can fail.
set -euo pipefail
mailflow="$1"
lib=tests/e2e/lib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "html_chromium: $*" >&2; exit 1; }
command -v chromium >/dev/null || fail "chromium is not installed (./setup.sh test installs it)"

# render PAGE PNG LOG: one screenshot; console messages go to LOG as
# "...:INFO:CONSOLE(line)] "message", source: ..." lines.
render() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$tmp")" --enable-logging=stderr --v=0 \
    --screenshot="$2" --window-size=1280,2000 "file://$1" >/dev/null 2>"$3" \
    || fail "chromium failed on $1: $(tail -3 "$3")"
  [ -s "$2" ] || fail "chromium wrote no screenshot of $1"
}

# Control: a console error and a request the policy blocks must be caught,
# and a nearly empty page must count as blank.
cat >"$tmp/control.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/>
<title>control</title></head>
<body><p>control</p><img src="http://127.0.0.1:9/x.png" alt=""/></body></html>
HTML
render "$tmp/control.html" "$tmp/control.png" "$tmp/control.log"
grep -q ":CONSOLE" "$tmp/control.log" || fail "the console check did not catch the control page's blocked request"
if python3 "$lib/png_check.py" "$tmp/control.png" >/dev/null 2>&1; then
  fail "the blank check passed the nearly empty control page"
fi

"$mailflow" --db "$tmp/db" --now 2026-11-22 -c "Import-MessageTrace -Path examples/sample-traces.csv" >/dev/null
"$mailflow" --db "$tmp/db" --now 2026-11-22 -c "Export-MailFlowReport -Path '$tmp/report.html' -Days 30" >/dev/null
render "$tmp/report.html" "$tmp/report.png" "$tmp/report.log"
if grep ":CONSOLE" "$tmp/report.log" >&2; then
  fail "the report logged to the console (above)"
fi
# TLS1.3 green, None red, and the first connector's blue must all be drawn.
python3 "$lib/png_check.py" "$tmp/report.png" --min-fraction 0.03 \
  --colour '#1b7837' --colour '#b2182b' --colour '#4e79a7' --min-pixels 300
echo "html_chromium: ok"
