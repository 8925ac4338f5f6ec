#!/usr/bin/env bash
# The dashboard in every culture over the sample data (30 days ending
# 2026-11-22), against golden pages (tests/e2e/expected/dashboard/; the store
# path and the generation time are blanked). Then: the lang attribute and the
# culture's number formats, valid HTML, the culture chosen by -Culture, by
# Set-MailFlowConfig -Culture and by LC_ALL / LC_MESSAGES / LANG, a clear error
# for an unknown culture, localised insights (Rule unchanged), import
# warnings and Format-Chart lines - and machine output (ConvertTo-Json,
# ConvertTo-Csv, Export-Csv) byte-identical whatever the culture.
# MAILFLOW_UPDATE_GOLDEN=1 rewrites the golden pages (review the diff).
set -euo pipefail
mailflow="$1"
expected=tests/e2e/expected/dashboard
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "html_cultures: $*" >&2; exit 1; }
# Every run starts from a clean environment: no locale unless a check sets one.
mf() { env -u LC_ALL -u LC_MESSAGES -u LANG "$mailflow" --db "$tmp/sample.db" --now 2026-11-22 "$@"; }
mf -c "Import-MessageTrace -Path examples/sample-traces.csv" >/dev/null

normalise() {
  sed -e 's|<dd id="store">[^<]*</dd>|<dd id="store">STORE</dd>|' \
      -e 's|<dd id="generated">[^<]*</dd>|<dd id="generated">GENERATED</dd>|' "$1"
}

for culture in en es-ES sv-SE zh-TW it-IT nl-NL; do
  page="$tmp/report.$culture.html"
  mf -c "Export-MailFlowReport -Path '$page' -Days 30 -Culture $culture" >/dev/null
  normalise "$page" >"$tmp/normal.html"
  if [ "${MAILFLOW_UPDATE_GOLDEN:-}" = 1 ]; then
    mkdir -p "$expected"
    cp "$tmp/normal.html" "$expected/report.$culture.html"
  fi
  diff -u "$expected/report.$culture.html" "$tmp/normal.html" >&2 ||
    fail "the $culture page differs from $expected/report.$culture.html (above)"
  grep -q "<html lang=\"$culture\">" "$page" || fail "$culture: no lang=\"$culture\""
  xmllint --noout "$page" || fail "$culture: the page is not well-formed"
  if command -v tidy >/dev/null; then
    tidy -q -e "$page" 2>"$tmp/tidy.log" || fail "$culture: tidy: $(cat "$tmp/tidy.log")"
  fi
done
# The English page is the one the report cmdlets' numbers are checked against
# (html_report.sh); it must not change with this feature's other cultures.
nbsp=$'\u00a0'
grep -q "<span class=\"protected-percent\">91.10</span>%" "$tmp/report.en.html" || fail "en: percentage"
grep -q "<span class=\"protected-percent\">91,10</span>${nbsp}%" "$tmp/report.es-ES.html" || fail "es-ES: not 91,10 %"
grep -q "<span class=\"protected-percent\">91,10</span>${nbsp}%" "$tmp/report.sv-SE.html" || fail "sv-SE: not 91,10 %"
grep -q "<span class=\"protected-percent\">91,10</span>%" "$tmp/report.it-IT.html" || fail "it-IT: not 91,10%"
grep -q "<span class=\"protected-percent\">91,10</span>%" "$tmp/report.nl-NL.html" || fail "nl-NL: not 91,10%"
grep -q "<span class=\"protected-percent\">91.10</span>%" "$tmp/report.zh-TW.html" || fail "zh-TW: not 91.10%"
# Short dates: es 24/10/26, sv 2026-10-24, zh-TW 2026/10/24, it 24/10/26, nl 24-10-2026.
grep -q '24/10/26 – 22/11/26 (30 días, UTC)' "$tmp/report.es-ES.html" || fail "es-ES: range"
grep -q '2026-10-24 – 2026-11-22 (30 dagar, UTC)' "$tmp/report.sv-SE.html" || fail "sv-SE: range"
grep -q '2026/10/24 – 2026/11/22（30 天，UTC）' "$tmp/report.zh-TW.html" || fail "zh-TW: range"
grep -q '24/10/26 – 22/11/26 (30 giorni, UTC)' "$tmp/report.it-IT.html" || fail "it-IT: range"
grep -q '24-10-2026 – 22-11-2026 (30 dagen, UTC)' "$tmp/report.nl-NL.html" || fail "nl-NL: range"
# Microsoft's terms for the widget, the TLS flyout and an insight.
grep -q '<h1>Flujo de correo entrante y saliente</h1>' "$tmp/report.es-ES.html" || fail "es-ES: widget name"
grep -q '<h2>Mensaje protegido en tránsito (por TLS)</h2>' "$tmp/report.es-ES.html" || fail "es-ES: TLS flyout name"
grep -q '<h3>無 TLS 超過 25%</h3>' "$tmp/report.zh-TW.html" || fail "zh-TW: insight title"
# Data attributes keep the cmdlets' invariant values in every culture.
grep -q 'data-tls="None" data-messages="260" data-percent="8.90"' "$tmp/report.sv-SE.html" ||
  fail "sv-SE: data attributes changed"

# Which culture: -Culture, else Set-MailFlowConfig -Culture, else LC_ALL, LC_MESSAGES, LANG.
lang_of() { sed -n 's/^<html lang="\([^"]*\)">$/\1/p' "$1"; }
export_with() {  # ENV... : exports to $tmp/which.html with the given environment
  rm -f "$tmp/which.html"
  env -u LC_ALL -u LC_MESSAGES -u LANG "$@" "$mailflow" --db "$tmp/sample.db" --now 2026-11-22 \
    -c "Export-MailFlowReport -Path '$tmp/which.html'" >/dev/null
  lang_of "$tmp/which.html"
}
[ "$(export_with)" = en ] || fail "no locale is not English"
[ "$(export_with LANG=C.UTF-8)" = en ] || fail "LANG=C.UTF-8 is not English"
[ "$(export_with LANG=sv_SE.UTF-8)" = sv-SE ] || fail "LANG=sv_SE.UTF-8 is not Swedish"
[ "$(export_with LANG=sv_SE.UTF-8 LC_MESSAGES=it_IT.UTF-8)" = it-IT ] || fail "LC_MESSAGES does not win over LANG"
[ "$(export_with LC_MESSAGES=it_IT.UTF-8 LC_ALL=nl_NL.UTF-8)" = nl-NL ] || fail "LC_ALL does not win"
[ "$(export_with LANG=fr_FR.UTF-8)" = en ] || fail "an unsupported LANG is not English"
[ "$(export_with LANG=zh_TW.UTF-8)" = zh-TW ] || fail "LANG=zh_TW.UTF-8 is not zh-TW"
mf -c "Set-MailFlowConfig -Culture it-IT"
[ "$(export_with LANG=sv_SE.UTF-8)" = it-IT ] || fail "Set-MailFlowConfig -Culture does not win over LANG"
[ "$(mf -c 'Get-MailFlowConfig | ForEach-Object { $_.Culture }')" = it-IT ] || fail "Get-MailFlowConfig does not show it-IT"
mf -c 'Set-MailFlowConfig -Culture $null'
[ "$(export_with LANG=sv_SE.UTF-8)" = sv-SE ] || fail "-Culture \$null does not go back to LANG"

# Unknown cultures: one clear line, status 1, nothing written or stored.
if mf -c "Export-MailFlowReport -Path '$tmp/fr.html' -Culture fr-FR" 2>"$tmp/err"; then
  fail "-Culture fr-FR was accepted"
fi
head -1 "$tmp/err" | grep -qx "Export-MailFlowReport: -Culture 'fr-FR' is not a supported culture; use one of en, es-ES, sv-SE, zh-TW, it-IT, nl-NL" ||
  fail "unclear -Culture error: $(cat "$tmp/err")"
[ ! -e "$tmp/fr.html" ] || fail "a refused export wrote a file"
if mf -c "Set-MailFlowConfig -Culture klingon" 2>"$tmp/err"; then fail "-Culture klingon was stored"; fi
grep -q "Culture 'klingon' is not a supported culture" "$tmp/err" || fail "unclear setting error: $(cat "$tmp/err")"

# Insights: Title and Recommendation in the culture, Rule stable.
env -u LC_ALL -u LC_MESSAGES LANG=es_ES.UTF-8 "$mailflow" --db "$tmp/sample.db" --now 2026-11-22 \
  -c "Get-MailFlowInsights -Days 30 | ConvertTo-Json" >"$tmp/insights.es.json"
python3 - "$tmp/insights.es.json" <<'PY' || fail "Spanish insights"
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
assert [r["Rule"] for r in rows] == ["NoTls", "Tls10"], rows
assert rows[0]["Title"] == "Sin TLS supera el 25\u00a0%", rows[0]["Title"]
assert rows[1]["Title"] == "TLS 1.0 es superior al 50\u00a0%", rows[1]["Title"]
assert rows[0]["Recommendation"].startswith("El 58,50\u00a0% de los mensajes que llegan por 'Legacy App Relay'"), rows[0]
assert rows[0]["Value"] == 58.5 and rows[0]["Threshold"] == 25, rows[0]
PY

# Import warnings and Format-Chart lines in the culture.
env -u LC_ALL -u LC_MESSAGES LANG=es_ES.UTF-8 "$mailflow" --db "$tmp/bad.db" --now 2026-11-22 \
  -c "Import-MessageTrace -Path tests/e2e/import_bad.csv" >/dev/null 2>"$tmp/warn"
grep -qx "WARNING: 7 registros de 'tests/e2e/import_bad.csv' rechazados y conservados; véalos con: Get-ImportReject -Path 'tests/e2e/import_bad.csv'" "$tmp/warn" ||
  fail "Spanish import warning: $(cat "$tmp/warn")"
env -u LC_ALL -u LC_MESSAGES LANG=sv_SE.UTF-8 "$mailflow" --db "$tmp/sample.db" --now 2026-11-22 \
  -c "Get-ConnectorReport -Days 30 | Format-Chart -Value Messages -Label Connector -Sparkline -Width 100" >"$tmp/chart"
grep -q "^2026-10-24 – 2026-11-22, 30 dagar, en dag per tecken$" "$tmp/chart" || fail "Swedish chart header: $(head -1 "$tmp/chart")"
grep -q "totalt [0-9]*  topp [0-9]*$" "$tmp/chart" || fail "Swedish chart summary: $(sed -n 2p "$tmp/chart")"
env -u LC_ALL -u LC_MESSAGES LANG=it_IT.UTF-8 "$mailflow" --db "$tmp/sample.db" --now 2026-11-22 \
  -c "Get-TlsUsage -Days 30 -ByConnector | Format-Chart -Value Percent -Label Direction,Connector -Stack TlsVersion -Width 100" >"$tmp/chart"
grep -q "^█ TLS1.3  ▓ TLS1.2  ▒ TLS1.1  ░ TLS1.0  ▚ Nessun TLS$" "$tmp/chart" || fail "Italian chart legend: $(head -1 "$tmp/chart")"
grep -q "^Inbound / (nessuno) " "$tmp/chart" || fail "Italian chart: traffic without a connector is not (nessuno)"

# Machine output never changes with the culture.
machine() {  # ENV... : the machine-readable outputs, concatenated
  local out="$tmp/machine.$RANDOM"
  mkdir -p "$out"
  run() { env -u LC_ALL -u LC_MESSAGES -u LANG "$@"; }
  for pipeline in "Get-TlsUsage -Days 30 | ConvertTo-Json" \
                  "Get-TlsUsage -Days 30 -ByConnector | ConvertTo-Csv" \
                  "Get-ConnectorReport -Days 30 | ConvertTo-Json" \
                  "Get-MessageTrace -Days 30 -PageSize 40 | ConvertTo-Csv" \
                  "Get-MailFlowInsights -Days 30 | Select-Object Rule,Direction,Connector,Value,Threshold,Messages | ConvertTo-Json" \
                  "Get-MailFlowConfig | Select-Object MaxReportDays,NoTlsThreshold | ConvertTo-Json" \
                  "Get-MessageTrace -Days 30 -PageSize 40 | Export-Csv -Path '$out/export.csv'"; do
    run "$@" "$mailflow" --db "$tmp/sample.db" --now 2026-11-22 -c "$pipeline"
  done
  cat "$out/export.csv"
}
machine >"$tmp/machine.c"
[ "$(wc -l <"$tmp/machine.c")" -gt 100 ] || fail "the machine output is too short to compare"
for setting in LANG=es_ES.UTF-8 LC_ALL=sv_SE.UTF-8 LANG=zh_TW.UTF-8 LC_MESSAGES=it_IT.UTF-8 LANG=nl_NL.UTF-8 LC_ALL=de_DE.UTF-8; do
  machine "$setting" >"$tmp/machine.other"
  cmp -s "$tmp/machine.c" "$tmp/machine.other" || {
    diff "$tmp/machine.c" "$tmp/machine.other" | head -5 >&2
    fail "machine output changed under $setting"
  }
done
mf -c "Set-MailFlowConfig -Culture nl-NL"
machine >"$tmp/machine.other"
cmp -s "$tmp/machine.c" "$tmp/machine.other" || fail "machine output changed under Set-MailFlowConfig -Culture nl-NL"
mf -c 'Set-MailFlowConfig -Culture $null'
echo "html_cultures: ok"
