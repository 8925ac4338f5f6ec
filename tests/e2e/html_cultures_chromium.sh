#!/usr/bin/env bash
# The dashboard of every culture in headless Chromium: each page draws (not
# blank, TLS and connector colours present) and logs nothing to the console.
# For zh-TW, proof that the Chinese text is drawn with real glyphs: the font
# the page names first for CJK (Noto Sans CJK TC, Debian's fonts-noto-cjk)
# covers every CJK character of the page (fc-list :charset=...), and the page
# rendered with every CJK font hidden from fontconfig (so that Chromium can
# only draw empty boxes) differs visibly from the real render - while the
# English page, which has no CJK text, renders the same both ways.
set -euo pipefail
mailflow="$1"
lib=tests/e2e/lib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "html_cultures_chromium: $*" >&2; exit 1; }
command -v chromium >/dev/null || fail "chromium is not installed (./setup.sh test installs it)"
command -v fc-list >/dev/null || fail "fontconfig is not installed (./setup.sh test installs it)"

render() {  # PAGE PNG LOG [ENV...]
  local page="$1" png="$2" log="$3"
  shift 3
  env "$@" timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$tmp")" --enable-logging=stderr --v=0 \
    --screenshot="$png" --window-size=1280,2000 "file://$page" >/dev/null 2>"$log" \
    || fail "chromium failed on $page: $(tail -3 "$log")"
  [ -s "$png" ] || fail "chromium wrote no screenshot of $page"
}

"$mailflow" --db "$tmp/db" --now 2026-11-22 -c "Import-MessageTrace -Path examples/sample-traces.csv" >/dev/null
for culture in en es-ES sv-SE zh-TW it-IT nl-NL; do
  env -u LC_ALL -u LC_MESSAGES -u LANG "$mailflow" --db "$tmp/db" --now 2026-11-22 \
    -c "Export-MailFlowReport -Path '$tmp/$culture.html' -Days 30 -Culture $culture" >/dev/null
  render "$tmp/$culture.html" "$tmp/$culture.png" "$tmp/$culture.log"
  if grep ":CONSOLE" "$tmp/$culture.log" >&2; then
    fail "the $culture page logged to the console (above)"
  fi
  python3 "$lib/png_check.py" "$tmp/$culture.png" --min-fraction 0.03 \
    --colour '#1b7837' --colour '#b2182b' --colour '#4e79a7' --min-pixels 300 >/dev/null ||
    fail "the $culture screenshot is blank or lacks the chart colours"
done

# zh-TW glyph coverage: every CJK character of the page is in Noto Sans CJK TC,
# which the page's font stack names.
grep -q '"Noto Sans CJK TC"' "$tmp/zh-TW.html" || fail "the page's font stack does not name Noto Sans CJK TC"
charset=$(python3 - "$tmp/zh-TW.html" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
cjk = sorted({ord(c) for c in text if 0x2E80 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF or 0xFF00 <= ord(c) <= 0xFFEF})
print(" ".join(f"{c:x}" for c in cjk))
PY
)
[ "$(wc -w <<<"$charset")" -ge 40 ] || fail "the zh-TW page has too few CJK characters ($charset)"
fc-list "Noto Sans CJK TC:charset=$charset" family | grep -q "Noto Sans CJK TC" ||
  fail "Noto Sans CJK TC does not cover every CJK character of the page (fonts-noto-cjk missing?)"

# The same pages with every CJK font hidden from fontconfig.
cat >"$tmp/no-cjk.conf" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><pattern><patelt name="lang"><string>zh-tw</string></patelt></pattern></rejectfont></selectfont>
  <cachedir>CACHE</cachedir>
</fontconfig>
XML
sed -i "s|CACHE|$tmp/fc-cache|" "$tmp/no-cjk.conf"
if [ -n "$(FONTCONFIG_FILE="$tmp/no-cjk.conf" fc-list ':lang=zh-tw' family)" ]; then
  fail "the control configuration still offers a CJK font"
fi
render "$tmp/zh-TW.html" "$tmp/zh-TW.nocjk.png" "$tmp/zh-TW.nocjk.log" FONTCONFIG_FILE="$tmp/no-cjk.conf"
render "$tmp/en.html" "$tmp/en.nocjk.png" "$tmp/en.nocjk.log" FONTCONFIG_FILE="$tmp/no-cjk.conf"
python3 "$lib/png_diff.py" "$tmp/en.png" "$tmp/en.nocjk.png" --at-most 0.001 >/dev/null ||
  fail "hiding the CJK fonts changed the English page: the comparison proves nothing"
python3 "$lib/png_diff.py" "$tmp/zh-TW.png" "$tmp/zh-TW.nocjk.png" --at-least 0.005 ||
  fail "the zh-TW page looks the same without a CJK font: its glyphs were not drawn"
echo "html_cultures_chromium: ok"
