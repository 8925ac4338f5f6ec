#!/usr/bin/env bash
# Export-MailFlowReport over the sample data (30 days ending 2026-11-22):
# every number of the page equals the report cmdlets' output for the same
# range, the page is valid HTML (tidy) and well-formed XML (xmllint), hostile
# connector names come out escaped, and the refusals (existing file, range
# over MaxReportDays) write nothing.
set -euo pipefail
mailflow="$1"
lib=tests/e2e/lib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "html_report: $*" >&2; exit 1; }
mf() { "$mailflow" --db "$tmp/sample.db" --now 2026-11-22 "$@"; }

mf -c "Import-MessageTrace -Path examples/sample-traces.csv" >/dev/null
mf -c "Export-MailFlowReport -Path '$tmp/report.html' -Days 30" >"$tmp/export.out"
grep -q "report.html" "$tmp/export.out" || fail "Export-MailFlowReport did not say what it wrote: $(cat "$tmp/export.out")"

mf -c "Get-TlsUsage -Days 30 | ConvertTo-Json" >"$tmp/tls.json"
mf -c "Get-TlsUsage -Days 30 -ByConnector | ConvertTo-Json" >"$tmp/tls_conn.json"
mf -c "Get-ConnectorReport -Days 30 | ConvertTo-Json" >"$tmp/flow.json"
mf -c "Get-MailFlowInsights -Days 30 | ConvertTo-Json" >"$tmp/insights.json"
python3 "$lib/report_check.py" "$tmp/report.html" "$tmp/tls.json" "$tmp/tls_conn.json" "$tmp/flow.json" "$tmp/insights.json"
grep -q '2026-10-24 – 2026-11-22 (30 days, UTC)' "$tmp/report.html" || fail "the range is not shown"

# Validity: tidy (HTML5) reports neither errors nor warnings; xmllint finds
# the page well-formed (it is written to be).
if command -v tidy >/dev/null; then
  tidy -q -e "$tmp/report.html" 2>"$tmp/tidy.log" || fail "tidy: $(cat "$tmp/tidy.log")"
else
  fail "tidy is not installed (./setup.sh test installs it)"
fi
xmllint --noout "$tmp/report.html" || fail "the page is not well-formed"

# An existing file is kept without -Force, replaced with it.
before=$(md5sum <"$tmp/report.html")
if mf -c "Export-MailFlowReport -Path '$tmp/report.html' -Days 7" 2>"$tmp/err"; then
  fail "an existing report was replaced without -Force"
fi
grep -q "already exists; use -Force to replace it" "$tmp/err" || fail "unclear refusal: $(cat "$tmp/err")"
[ "$(md5sum <"$tmp/report.html")" = "$before" ] || fail "the refused export changed the file"
mf -c "Export-MailFlowReport -Path '$tmp/report.html' -Days 7 -Force" >/dev/null
grep -q '2026-11-16 – 2026-11-22 (7 days, UTC)' "$tmp/report.html" || fail "-Force did not replace the report"

# A range over MaxReportDays is refused and writes nothing.
if mf -c "Export-MailFlowReport -Path '$tmp/long.html' -Days 31" 2>"$tmp/err"; then
  fail "a 31-day range was accepted"
fi
[ ! -e "$tmp/long.html" ] || fail "a refused export left a file"
[ -s "$tmp/err" ] || fail "a refused export said nothing"

# Hostile connector and host names from a log come out escaped.
cat >"$tmp/hostile.csv" <<'CSV'
received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,message_id
2026-11-20T08:15:02Z,Inbound,<script>alert('pwned')</script>,TLS1.0,,a@evil.example,b@contoso.com,"mx.evil.example",192.0.2.9,1200,Delivered,<1@evil.example>
2026-11-20T09:15:02Z,Inbound,"Fabrikam ""Partner"" & 'Co'",None,,c@fabrikam.com,d@contoso.com,mail.fabrikam.com,198.51.100.2,900,Delivered,<2@fabrikam.com>
2026-11-21T10:00:00Z,Outbound,<img src=x onerror=alert(1)>,TLS1.2,,e@contoso.com,f@fabrikam.com,mail.fabrikam.com,198.51.100.2,800,Delivered,<3@contoso.com>
CSV
"$mailflow" --db "$tmp/hostile.db" --now 2026-11-22 -c "Import-MessageTrace -Path '$tmp/hostile.csv'" >/dev/null
"$mailflow" --db "$tmp/hostile.db" --now 2026-11-22 -c "Export-MailFlowReport -Path '$tmp/hostile.html'" >/dev/null
! grep -q "<script" "$tmp/hostile.html" || fail "a <script> connector name reached the page unescaped"
! grep -q "<img" "$tmp/hostile.html" || fail "an <img> connector name reached the page unescaped"
grep -q "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" "$tmp/hostile.html" || fail "the <script> name is not shown escaped"
grep -q "Fabrikam &quot;Partner&quot; &amp; &#39;Co&#39;" "$tmp/hostile.html" || fail "the quoted name is not shown escaped"
xmllint --noout "$tmp/hostile.html" || fail "the hostile page is not well-formed"
tidy -q -e "$tmp/hostile.html" 2>"$tmp/tidy.log" || fail "tidy on the hostile page: $(cat "$tmp/tidy.log")"
echo "html_report: ok"
