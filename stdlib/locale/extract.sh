#!/usr/bin/env bash
# Extracts every string marked for translation into a .pot file:
#   C++ (engine/): _("..."), _n("one", "many", n), _p("context", "..."), N_("...")
#   Lua (stdlib/): _("..."), N_"..."
# usage: stdlib/locale/extract.sh OUTPUT.pot   (run from the source root)
# Used by the mailflow_pot target (which writes stdlib/locale/mailflow.pot) and
# by tests/e2e/catalogs.sh (which checks the catalogs against a fresh extraction).
set -euo pipefail
out="$1"
version=$(sed -n 's/^project(mailflow VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
common=(--from-code=UTF-8 --keyword= --add-comments=TRANSLATORS: --sort-by-file
        --package-name=mailflow --package-version="$version"
        --msgid-bugs-address=https://github.com/mailflow/mailflow/issues)
find engine -name '*.cpp' -o -name '*.h' | LC_ALL=C sort >"$out.cpp-files"
find stdlib -name '*.lua' | LC_ALL=C sort >"$out.lua-files"
trap 'rm -f "$out.cpp-files" "$out.lua-files"' EXIT
xgettext --language=C++ "${common[@]}" --keyword=_ --keyword=_n:1,2 --keyword=_p:1c,2 --keyword=N_ \
  -o "$out" --files-from="$out.cpp-files"
xgettext --language=Lua "${common[@]}" --keyword=_ --keyword=N_ --join-existing \
  -o "$out" --files-from="$out.lua-files"
