#!/usr/bin/env bash
# A real Postfix 3.7 log (tests/data/postfix/mx1-maillog.log, captured by
# tests/data/postfix/capture.sh) through the mailflow binary: the organisation
# boundary from Set-MailFlowConfig, the import summary, the trace records
# checked against the list of what was sent (sent.csv, written by the capture
# script as it sent, not read back from the log), refused sessions, connectors
# with Update-ConnectorAttribution equal to a fresh import, and the errors.
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
data="$PWD/tests/data/postfix"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "postfix_import: $*" >&2; exit 1; }
cd "$tmp"
mf() { "$mailflow" --db "$db" --now 2026-11-23 -c "$1"; }

# Our server's own clients are 127.0.0.1 and ::1; the swaks "partners" use
# 127.0.0.2-5 (see capture.sh), so loopback as a whole is not internal here.
boundary() {
  mf "Set-MailFlowConfig -OrganizationDomains contoso.com -InternalNetworks 127.0.0.1/32,::1/128"
}
import() {
  mf "Import-MessageTrace -Path '$data/mx1-maillog.log' -Year 2026 -TimeZone UTC | ConvertTo-Csv"
}

db=boundary.db
boundary
mf "Get-MailFlowConfig | Select-Object OrganizationDomains,InternalNetworks | Format-List" >config
grep -q '^OrganizationDomains : {contoso.com}$' config || fail "OrganizationDomains not kept: $(cat config)"
grep -q '^InternalNetworks    : {127.0.0.1/32, ::1/128}$' config || fail "InternalNetworks not kept: $(cat config)"

# The summary: 19 trace records, 2 refused sessions, nothing rejected, the
# deferred message incomplete.
import >summary
python3 - "$data/sent.csv" summary <<'EOF' || fail "import summary"
import csv, sys
sent = list(csv.DictReader(open(sys.argv[1])))
records = [r for r in sent if r["direction"] in ("Inbound", "Outbound")]
refused = [r for r in sent if r["direction"] == "refused"]
row = list(csv.DictReader(open(sys.argv[2])))[0]
# A message still deferred when the capture stopped never completed: it is
# flushed at the end of the file as Pending and counted as Incomplete.
pending = [r for r in records if r["status"] == "Pending"]
want = {"Format": "Postfix", "Imported": str(len(records)), "Rejected": "0", "Refused": str(len(refused)),
        "Incomplete": str(len(pending))}
got = {k: row[k] for k in want}
if got != want:
    sys.exit(f"summary {got}, want {want}")
EOF

# Every record matches one line of sent.csv (direction, sender, recipients,
# remote host, TLS version, status) and nothing else was recorded: internal
# mail and the DSN of out-bounce made no record.
mf "Get-MessageTrace -Days 1 -PageSize 5000 | ConvertTo-Csv" >traces
python3 - "$data/sent.csv" traces <<'EOF' || fail "trace records differ from what was sent"
import csv, sys
from collections import Counter
def key(direction, sender, recipients, host, tls, status):
    return (direction, sender, ";".join(sorted(recipients.split(";"))), host, tls, status)
want = Counter(key(r["direction"], r["sender"], r["recipients"], r["remote_host"], r["tls"], r["status"])
               for r in csv.DictReader(open(sys.argv[1])) if r["direction"] in ("Inbound", "Outbound"))
got = Counter(key(r["Direction"], r["SenderAddress"], r["RecipientAddress"], r["RemoteHost"],
                  r["TlsVersion"], r["Status"]) for r in csv.DictReader(open(sys.argv[2])))
if got != want:
    for k in sorted(set(want) | set(got)):
        if want[k] != got[k]:
            print(f"  {k}: sent {want[k]}, recorded {got[k]}", file=sys.stderr)
    sys.exit(1)
EOF

# Refused sessions are kept apart from the traces, with the reason.
mf "Get-RefusedConnection -Days 1 | Select-Object ClientHost,Sender,Recipient,Reason | ConvertTo-Csv" >refused
python3 - "$data/sent.csv" refused <<'EOF' || fail "refused sessions"
import csv, sys
want = sorted((r["remote_host"], r["sender"], r["recipients"]) for r in csv.DictReader(open(sys.argv[1]))
              if r["direction"] == "refused")
rows = list(csv.DictReader(open(sys.argv[2])))
got = sorted((r["ClientHost"], r["Sender"], r["Recipient"]) for r in rows)
if got != want:
    sys.exit(f"refused {got}, want {want}")
reasons = " ".join(r["Reason"] for r in rows)
for text in ("Relay access denied", "User unknown"):
    if text not in reasons:
        sys.exit(f"no '{text}' among the reasons: {reasons}")
EOF

# Without the boundary the default InternalNetworks (loopback) is in force:
# the partners on 127.0.0.2-5 and the remote side on 127.0.0.9-11 are then
# all inside, and nothing in this capture crosses the boundary.
db=default.db
mf "Import-MessageTrace -Path '$data/mx1-maillog.log' -Year 2026 -TimeZone UTC | Select-Object -ExpandProperty Imported" >imported
[ "$(cat imported)" = 0 ] || fail "with loopback internal, $(cat imported) records crossed the boundary"

# Connectors: created after the import, applied by Update-ConnectorAttribution;
# the reports then equal those of a fresh import with the same connectors.
connectors() {
  connectors_ >/dev/null
}
connectors_() {
  mf "New-InboundConnector -Name 'Fabrikam' -ConnectorType Partner -SenderIPAddresses 127.0.0.2"
  mf "New-InboundConnector -Name 'Tailspin' -ConnectorType Partner -SenderDomains tailspin.example"
  mf "New-OutboundConnector -Name 'Relay' -ConnectorType OnPremises -SmartHosts smarthost.relay.example"
  mf "New-OutboundConnector -Name 'Partners' -ConnectorType Partner -RecipientDomains '*.example'"
}
reports() {
  mf "Get-ConnectorReport -Days 1 | ConvertTo-Csv"
  mf "Get-TlsUsage -Days 1 -ByConnector | ConvertTo-Csv"
  mf "Get-MessageTrace -Days 1 -PageSize 5000 | Sort-Object Received,Direction,RecipientAddress | Select-Object Direction,Connector,RecipientAddress | ConvertTo-Csv"
}
db=boundary.db
connectors
mf "Update-ConnectorAttribution | ConvertTo-Csv" >update
# Changed: inbound 2 by IP (Fabrikam) + 3 by domain (Tailspin; Woodgrove's
# stays without), outbound 1 by smart host + 12 by *.example = 18.
grep -qx '"19","18"' update || grep -qx '19,18' update || fail "Update-ConnectorAttribution: $(cat update)"
reports >updated
db=fresh.db
boundary
connectors
import >/dev/null
reports >fresh
diff -u fresh updated >&2 || fail "reports after Update-ConnectorAttribution differ from a fresh import"
# Smart host before domain: the relay host's message is Relay's, not Partners'.
grep -q '"Outbound","Relay","dan@northwind.example"' fresh || grep -q '^Outbound,Relay,dan@northwind.example$' fresh ||
  fail "smart host did not win over the recipient domain: $(grep northwind fresh)"
# The Fabrikam IP (127.0.0.2) wins over no domain; Tailspin by sender domain.
grep -qE '"?Inbound"?,"?Fabrikam"?,"?alice@contoso.com;bob@contoso.com;carol@contoso.com' fresh ||
  fail "inbound by IP not attributed: $(cat fresh)"

# Bad input: one clear line, exit 1, nothing changed.
db=boundary.db
status=0
mf "Set-MailFlowConfig -InternalNetworks 10.0.0.0/8,10.0.0.1/8" >out 2>err || status=$?
[ "$status" = 1 ] || fail "a bad CIDR exited $status"
grep -q "InternalNetworks: '10.0.0.1/8' has host bits set; the range is 10.0.0.0/8" err || fail "bad CIDR: $(cat err)"
mf "Get-MailFlowConfig | Select-Object -ExpandProperty InternalNetworks" >nets
[ "$(tr '\n' ' ' <nets)" = "127.0.0.1/32 ::1/128 " ] || fail "a refused Set-MailFlowConfig changed InternalNetworks: $(cat nets)"
status=0
mf "Set-MailFlowConfig -OrganizationDomains 'contoso com'" >out 2>err || status=$?
[ "$status" = 1 ] && grep -q "OrganizationDomains" err || fail "bad domain: $status $(cat err)"
status=0
mf "Import-MessageTrace -Path '$data/mx1-maillog.log' -Year 2026 -TimeZone Mars/Olympus_Mons" >out 2>err || status=$?
[ "$status" = 1 ] && grep -q "Mars/Olympus_Mons" err || fail "bad -TimeZone: $status $(cat err)"
status=0
mf "New-InboundConnector -Name 'Fabrikam' -SenderIPAddresses 127.0.0.7" >out 2>err || status=$?
[ "$status" = 1 ] && grep -qi "Fabrikam" err && grep -qi "exists" err || fail "duplicate connector: $status $(cat err)"
echo "postfix_import: ok"
