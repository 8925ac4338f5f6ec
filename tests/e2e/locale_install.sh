#!/usr/bin/env bash
# The catalogs are found at run time in the install tree as in the build tree:
# `cmake --install` puts the binary in bin/ and the compiled catalogs in
# share/mailflow/locale/LANG/LC_MESSAGES/mailflow.mo, and the installed binary
# speaks every culture from there. $MAILFLOW_LOCALEDIR overrides the search; a
# directory without the catalog gives one clear error naming the file.
set -euo pipefail
mailflow=$(realpath "$1")
build=$(dirname "$mailflow")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "locale_install: $*" >&2; exit 1; }
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null || fail "cmake --install failed"
installed="$tmp/prefix/bin/mailflow"
for lang in es sv zh_TW it nl; do
  [ -s "$tmp/prefix/share/mailflow/locale/$lang/LC_MESSAGES/mailflow.mo" ] || fail "no installed catalog for $lang"
done
[ ! -e "$tmp/prefix/share/mailflow/stdlib/locale" ] || fail "the .po sources were installed with the stdlib"
"$installed" --db "$tmp/db" --now 2026-11-22 -c "Import-MessageTrace -Path examples/sample-traces.csv" >/dev/null
check() {  # CULTURE H1
  env -u LC_ALL -u LC_MESSAGES -u LANG "$installed" --db "$tmp/db" --now 2026-11-22 \
    -c "Export-MailFlowReport -Path '$tmp/page.html' -Culture $1 -Force" >/dev/null
  grep -q "<h1>$2</h1>" "$tmp/page.html" || fail "$1 from the install tree: $(grep -o '<h1>[^<]*</h1>' "$tmp/page.html")"
}
check es-ES "Flujo de correo entrante y saliente"
check sv-SE "Utgående och inkommande e-postflöde"
check zh-TW "輸出和輸入郵件流程"
check it-IT "Flusso di posta in uscita e in ingresso"
check nl-NL "Uitgaande en inkomende e-mailstroom"

mkdir -p "$tmp/empty"
if MAILFLOW_LOCALEDIR="$tmp/empty" "$installed" --db "$tmp/db" -c "Export-MailFlowReport -Path '$tmp/x.html' -Culture sv-SE" 2>"$tmp/err"; then
  fail "a missing catalog was not an error"
fi
head -1 "$tmp/err" | grep -qx "Export-MailFlowReport: the message catalog of sv-SE is not installed: $tmp/empty/sv/LC_MESSAGES/mailflow.mo is missing (set MAILFLOW_LOCALEDIR, or rebuild)" ||
  fail "unclear missing-catalog error: $(head -1 "$tmp/err")"
# Without the catalog, the environment's culture falls back to English (as gettext does).
MAILFLOW_LOCALEDIR="$tmp/empty" LANG=sv_SE.UTF-8 "$installed" --db "$tmp/db" -c "Export-MailFlowReport -Path '$tmp/y.html'" >/dev/null
grep -q '<html lang="en">' "$tmp/y.html" || fail "a missing catalog for LANG did not fall back to English"
echo "locale_install: ok"
