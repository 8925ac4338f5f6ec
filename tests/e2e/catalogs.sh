#!/usr/bin/env bash
# The message catalogs (stdlib/locale/*.po) against the code: a fresh xgettext
# extraction (stdlib/locale/extract.sh) must find every marked string in every
# catalog, translated, with the English placeholders (catalog_check.py), and
# msgfmt --check must accept each catalog (format strings, plural header). The
# committed mailflow.pot must list what the code marks. Broken copies of a
# catalog prove that each check can fail. ($1, the binary, is not needed.)
set -euo pipefail
lib=tests/e2e/lib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "catalogs: $*" >&2; exit 1; }
command -v xgettext >/dev/null || fail "xgettext is not installed (gettext; ./setup.sh installs it)"

bash stdlib/locale/extract.sh "$tmp/fresh.pot"
catalogs=(stdlib/locale/es.po stdlib/locale/sv.po stdlib/locale/zh_TW.po stdlib/locale/it.po stdlib/locale/nl.po)
for po in "${catalogs[@]}"; do
  [ -f "$po" ] || fail "$po is missing"
  msgfmt --check -o /dev/null "$po" 2>"$tmp/msgfmt.log" || fail "msgfmt --check $po: $(cat "$tmp/msgfmt.log")"
done
python3 "$lib/catalog_check.py" "$tmp/fresh.pot" "${catalogs[@]}"
# The committed template lists exactly what the code marks (ninja mailflow_pot).
python3 "$lib/catalog_check.py" --msgids "$tmp/fresh.pot" >"$tmp/fresh.ids"
python3 "$lib/catalog_check.py" --msgids stdlib/locale/mailflow.pot >"$tmp/committed.ids"
[ -s "$tmp/fresh.ids" ] || fail "xgettext extracted nothing"
diff "$tmp/committed.ids" "$tmp/fresh.ids" >&2 ||
  fail "stdlib/locale/mailflow.pot is stale (above): run ninja -C build mailflow_pot mailflow_po_update"

# Controls: each kind of breakage is caught.
expect_caught() {  # NAME PYTHON-EDIT
  python3 -c "import sys
s = open('stdlib/locale/es.po', encoding='utf-8').read()
s2 = s
exec(sys.argv[2], globals())
assert s != s2, 'the edit changed nothing'
open(sys.argv[1], 'w', encoding='utf-8').write(s)" "$tmp/broken.po" "$2" || fail "control '$1' could not be made"
  if python3 "$lib/catalog_check.py" "$tmp/fresh.pot" "$tmp/broken.po" 2>"$tmp/check.log"; then
    fail "the check passed a catalog with $1"
  fi
}
expect_caught "a missing msgid" \
  'i = s.index("msgid \"Total\""); j = s.index("\n\n", i); s = s[:i] + s[j + 2:]'
expect_caught "a wrong printf placeholder" \
  's = s.replace("%1$s – %2$s (%3$s día, UTC)", "%1$s – %1$s (%3$s día, UTC)", 1)'
expect_caught "a lost {connector} field" \
  'i = s.index("El {share} de los mensajes que llegan por"); j = s.index("\n\n", i); s = s[:i] + s[i:j].replace("{connector}", "conector") + s[j:]'
expect_caught "an untranslated string" \
  's = s.replace("msgstr \"Fecha\"", "msgstr \"\"", 1)'
expect_caught "a fuzzy translation" \
  's = s.replace("msgid \"Rule\"", "#, fuzzy\nmsgid \"Rule\"", 1)'
# msgfmt --check catches a c-format mismatch on its own, too.
sed 's/(%2\$s cifrados,/(cifrados,/' stdlib/locale/es.po >"$tmp/bad-format.po"
if msgfmt --check -o /dev/null "$tmp/bad-format.po" 2>/dev/null; then
  fail "msgfmt --check passed a dropped %2\$s"
fi
echo "catalogs: ok"
