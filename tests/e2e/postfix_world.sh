#!/usr/bin/env bash
# The real Postfix deployment of tests/data/postfix-world (captured by its
# capture.sh: postscreen, a content filter hop, Dovecot LMTP, local/virtual/
# pipe/discard/error/retry, TLS reuse, old-TLS peers, expiries) through the
# mailflow binary, in every log transport: rsyslog traditional, RFC 3339 and
# RFC 5424, Postfix's maillog_file and the journalctl outputs. Every trace
# record and refused attempt is checked against expected.csv, which the
# capture script wrote as it sent. Then the rotation set: importing
# mail.log.2.gz, mail.log.1 and mail.log in one call (and through a
# wildcard) equals importing their concatenation, and a deferral left
# Pending by one import is settled by the next.
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
data="$PWD/tests/data/postfix-world"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "postfix_world: $*" >&2; exit 1; }
cd "$tmp"
mf() { "$mailflow" --db "$db" --now 2026-12-01 -c "$1"; }
boundary() {
  mf "Set-MailFlowConfig -OrganizationDomains contoso.com -InternalNetworks 127.0.0.1/32,::1/128" >/dev/null
}
traces() { mf "Get-MessageTrace -Days 1 -PageSize 5000 | ConvertTo-Csv"; }

check_file() {  # check_file FILE: import it alone and compare with expected.csv
  local file=$1 name
  name=$(basename "$file")
  db="$tmp/$name.db"
  boundary
  mf "Import-MessageTrace -Path '$file' -Year 2026 -TimeZone UTC | ConvertTo-Csv" >summary ||
    fail "$name: import failed"
  traces >traces.csv
  mf "Get-RefusedConnection -Days 1 | ConvertTo-Csv" >refused.csv
  # Failed TLS handshakes and SMTP AUTH submissions (#15), through their
  # reports.
  mf "Get-TlsFailure -Days 1 | ConvertTo-Csv" >failures.csv || fail "$name: Get-TlsFailure failed"
  mf "Get-SmtpAuthClientReport -Days 1 | ConvertTo-Csv" >auth.csv || fail "$name: Get-SmtpAuthClientReport failed"
  python3 - "$data/expected.csv" summary traces.csv refused.csv "$name" failures.csv auth.csv <<'EOF' || fail "$name differs from expected.csv"
import csv, sys
from collections import Counter
expected = list(csv.DictReader(open(sys.argv[1])))
summary = list(csv.DictReader(open(sys.argv[2])))[0]
rows = list(csv.DictReader(open(sys.argv[3])))
refused = list(csv.DictReader(open(sys.argv[4])))
name = sys.argv[5]
dash = lambda v: "" if v in ("-", None) else v
problems = []

records = [r for r in expected if r["kind"] == "record"]
refusals = [r for r in expected if r["kind"] == "refused"]
pending = [r for r in records if r["status"] == "Pending"]
failures = [r for r in expected if r["kind"] == "tls-failure"]
auths = [r for r in expected if r["kind"] == "auth"]
stored_failures = list(csv.DictReader(open(sys.argv[6])))
auth_report = list(csv.DictReader(open(sys.argv[7])))
want = {"Rejected": 0, "Refused": len(refusals), "Incomplete": len(pending)}
got = {k: int(summary[k]) for k in want}
if got != want:
    problems.append(f"summary {got}, want {want}")
# Imported: every record and every failed TLS attempt the store kept (an
# authenticated submission describes a message counted as its trace).
imported = int(summary["Imported"])
if imported != len(records) + len(stored_failures):
    problems.append(f"Imported {imported}, want {len(records)} records + {len(stored_failures)} TLS failures")
if not stored_failures or not auth_report:
    problems.append(f"{len(stored_failures)} TLS failures and {len(auth_report)} SMTP AUTH users reported")

# Each failed attempt belongs to a case that was sent; every case failed
# (inbound clients tried once, outbound mail is retried until it expires).
per_case = Counter()
for f in stored_failures:
    match = [r["case"] for r in failures
             if r["direction"] == f["Direction"] and dash(r["remote_ip"]) == f["PeerIP"]
             and r["detail"] in f["Text"]]
    if not match:
        problems.append(f"a TLS failure nobody caused: {f}")
    else:
        per_case[match[0]] += 1
for r in failures:
    n = per_case[r["case"]]
    if n < 1 or (r["direction"] == "Inbound" and n != 1):
        problems.append(f"{r['case']}: {n} TLS failures recorded")
want_users = Counter((r["user"], r["tls"]) for r in auths)
got_users = Counter()
for row in auth_report:
    columns = (("TLS1.3", "Tls13"), ("TLS1.2", "Tls12"), ("TLS1.1", "Tls11"), ("TLS1.0", "Tls10"),
               ("None", "NoTls"))
    values = {v: float(row[c] or 0) for v, c in columns}
    messages = int(row["Messages"])
    if abs(sum(values.values()) - messages) > 0.01:  # shares in percent, not counts
        values = {v: x * messages / 100 for v, x in values.items()}
    for version, n in values.items():
        if round(n):
            got_users[(row["User"], version)] += round(n)
if want_users != got_users:
    problems.append(f"SMTP AUTH clients {dict(got_users)}, want {dict(want_users)}")

def key(direction, sender, recipients, host, ip, tls, trust, status):
    return (direction, sender, ";".join(sorted(recipients.split(";"))), dash(host), dash(ip), tls, dash(trust), status)
want = Counter(key(r["direction"], r["sender"], r["recipients"], r["remote_host"], r["remote_ip"], r["tls"],
                   r["trust"], r["status"]) for r in records)
# TlsTrust is compared once Get-MessageTrace shows it (the trace-field
# table of the layering work adds the column).
has_trust = bool(rows) and "TlsTrust" in rows[0]
if not has_trust:
    untrusted = Counter()
    for k, n in want.items():
        untrusted[k[:6] + ("",) + k[7:]] += n
    want = untrusted
got = Counter(key(r["Direction"], r["SenderAddress"], r["RecipientAddress"], r["RemoteHost"], r["RemoteIP"],
                  r["TlsVersion"], r.get("TlsTrust", ""), r["Status"]) for r in rows)
for k in sorted(set(want) | set(got)):
    if want[k] != got[k]:
        problems.append(f"{k}: sent {want[k]}, recorded {got[k]}")

want = Counter((dash(r["remote_ip"]), r["sender"], r["recipients"]) for r in refusals)
got = Counter((r["ClientIP"], r["Sender"], r["Recipient"]) for r in refused)
if want != got:
    problems.append(f"refused {sorted(got.elements())}, want {sorted(want.elements())}")
if problems:
    print(f"{name}:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
EOF
  # A second import of the same file adds nothing and refuses nothing new.
  mf "Import-MessageTrace -Path '$file' -Year 2026 -TimeZone UTC | ConvertTo-Csv" >again
  python3 - again "$name" <<'EOF' || fail "$name: a second import added something"
import csv, sys
row = list(csv.DictReader(open(sys.argv[1])))[0]
if row["Imported"] != "0" or row["Refused"] != "0":
    sys.exit(f"{sys.argv[2]}: second import {row}")
EOF
}

for f in syslog-traditional.log syslog-precise.log syslog-rfc5424.log maillog.log \
         journal/short.log journal/short-precise.log journal/short-iso.log journal/short-iso-precise.log \
         journal/short-full.log journal/json.log journal/export.log; do
  check_file "$data/$f"
done

# -Format Auto tells every transport apart from its first lines.
for f in syslog-traditional.log syslog-precise.log syslog-rfc5424.log maillog.log journal/short.log \
         journal/short-precise.log journal/short-iso.log journal/short-iso-precise.log journal/short-full.log \
         journal/json.log journal/export.log rotation/mail.log.2.gz; do
  db="$tmp/detect.db"
  format=$(mf "Import-MessageTrace -Path '$data/$f' -Year 2026 | Select-Object -ExpandProperty Format")
  [ "$format" = Postfix ] || fail "-Format Auto took $f for '$format'"
done

# Rotation: one call with the three files, a wildcard (oldest first), and the
# concatenation give the same records and the same reports.
reports() {
  mf "Get-MessageTrace -Days 1 -PageSize 5000 | Sort-Object Received,Direction,RecipientAddress,Status | Select-Object Received,Direction,SenderAddress,RecipientAddress,RemoteHost,TlsVersion,Status | ConvertTo-Csv"
  mf "Get-ConnectorReport -Days 1 | ConvertTo-Csv"
  mf "Get-TlsUsage -Days 1 | ConvertTo-Csv"
  mf "Get-RefusedConnection -Days 1 | Sort-Object Time,ClientIP,Recipient | ConvertTo-Csv"
}
rot="$data/rotation"
{ gzip -dc "$rot/mail.log.2.gz"; cat "$rot/mail.log.1" "$rot/mail.log"; } >all.log
db="$tmp/concat.db"; boundary
mf "Import-MessageTrace -Path all.log -Year 2026 -TimeZone UTC" >/dev/null
reports >concat.out
db="$tmp/onecall.db"; boundary
mf "Import-MessageTrace -Path '$rot/mail.log.2.gz','$rot/mail.log.1','$rot/mail.log' -Year 2026 -TimeZone UTC | ConvertTo-Csv" >onecall.summary
reports >onecall.out
diff -u concat.out onecall.out >&2 || fail "one call with the rotated files differs from their concatenation"
db="$tmp/wildcard.db"; boundary
mf "Import-MessageTrace -Path '$rot/mail.log*' -Year 2026 -TimeZone UTC | ConvertTo-Csv" >wildcard.summary
reports >wildcard.out
diff -u concat.out wildcard.out >&2 || fail "a wildcard over the rotated files differs from their concatenation"
python3 - wildcard.summary <<'EOF' || fail "the wildcard did not import the oldest file first"
import csv, sys
paths = [r["Path"].rsplit("/", 1)[-1] for r in csv.DictReader(open(sys.argv[1]))]
if paths != ["mail.log.2.gz", "mail.log.1", "mail.log"]:
    sys.exit(f"order {paths}")
EOF

# Rotated files compressed with xz or zstd (logrotate compresscmd) read
# like gzip: the same records as the concatenation. A truncated compressed
# file is one clear error naming it, and exit status 1.
gzip -dc "$rot/mail.log.2.gz" >mail.log.2
xz -c mail.log.2 >mail.log.2.xz
zstd -q -c mail.log.2 >mail.log.2.zst
cp "$rot/mail.log.1" "$rot/mail.log" .
for ext in xz zst; do
  db="$tmp/$ext.db"; boundary
  mf "Import-MessageTrace -Path 'mail.log*.$ext','mail.log.1','mail.log' -Year 2026 -TimeZone UTC" >/dev/null
  reports >$ext.out
  diff -u concat.out $ext.out >&2 || fail "rotated files with mail.log.2.$ext differ from their concatenation"
  head -c $(( $(stat -c %s mail.log.2.$ext) / 2 )) mail.log.2.$ext >cut.log.$ext
  db="$tmp/cut-$ext.db"
  if mf "Import-MessageTrace -Path cut.log.$ext -Format Postfix -Year 2026" >/dev/null 2>cut.err; then
    fail "a truncated .$ext file imported without an error"
  fi
  grep -q "^cannot read '.*cut.log.$ext': the .* data ends before its end (truncated)$" cut.err ||
    fail "truncated .$ext: $(cat cut.err)"
done

# Separate imports: a recipient deferred in one file and delivered or
# expired in a later one is one record, not a Pending one and a final one.
db="$tmp/separate.db"; boundary
for f in mail.log.2.gz mail.log.1 mail.log; do
  mf "Import-MessageTrace -Path '$rot/$f' -Year 2026 -TimeZone UTC" >/dev/null
done
traces >separate.csv
python3 - separate.csv <<'EOF' || fail "separate imports left a settled recipient Pending"
import csv, sys
from collections import defaultdict
status = defaultdict(set)
for r in csv.DictReader(open(sys.argv[1])):
    for rcpt in r["RecipientAddress"].split(";"):
        status[(r["Direction"], rcpt)].add(r["Status"])
both = {k: v for k, v in status.items() if "Pending" in v and len(v) > 1}
if both:
    sys.exit(f"pending and settled at once: {both}")
EOF
# Separate imports that continue each other make the records of one: the
# rotated mail.log.1 then mail.log in two calls equals one call with both;
# the capture cut inside an inbound smtpd session (its TLS line in the first
# part, client= and the delivery in the second) and after a message was
# queued but before its delivery, imported in two calls, equals one import.
db="$tmp/twocalls.db"; boundary
mf "Import-MessageTrace -Path '$rot/mail.log.1','$rot/mail.log' -Year 2026 -TimeZone UTC" >/dev/null
reports >onecall2.out
db="$tmp/separate2.db"; boundary
mf "Import-MessageTrace -Path '$rot/mail.log.1' -Year 2026 -TimeZone UTC" >/dev/null
mf "Import-MessageTrace -Path '$rot/mail.log' -Year 2026 -TimeZone UTC" >/dev/null
reports >twocalls.out
diff -u onecall2.out twocalls.out >&2 || fail "mail.log.1 then mail.log in two calls differs from one call"
db="$tmp/whole.db"; boundary
mf "Import-MessageTrace -Path '$data/syslog-traditional.log' -Year 2026 -TimeZone UTC" >/dev/null
reports >whole.out
for pattern in "TLS connection established from mail.tailspin.example" "from=<sam@fabrikam.example>, size="; do
  cut=$(grep -n -m1 "$pattern" "$data/syslog-traditional.log" | cut -d: -f1)
  head -n "$cut" "$data/syslog-traditional.log" >part1.log
  tail -n +"$((cut + 1))" "$data/syslog-traditional.log" >part2.log
  db="$tmp/cut$cut.db"; boundary
  mf "Import-MessageTrace -Path part1.log -Format Postfix -Year 2026 -TimeZone UTC" >/dev/null
  mf "Import-MessageTrace -Path part2.log -Format Postfix -Year 2026 -TimeZone UTC" >/dev/null
  reports >cut.out
  diff -u whole.out cut.out >&2 || fail "the capture cut after line $cut and imported in two calls differs from one import"
  # Both parts again: nothing new.
  mf "Import-MessageTrace -Path part1.log,part2.log -Format Postfix -Year 2026 -TimeZone UTC | Measure-Object Imported -Sum | Select-Object -ExpandProperty Sum" >again
  [ "$(cat again)" = 0 ] || fail "re-importing the two parts added $(cat again)"
done

# The boundary rule, with the log lines that decide it.
db="$tmp/help.db"
mf "Get-Help about_Boundary" >boundary.txt
for text in "relay=mx1.contoso.com[private/dovecot-lmtp]" "discard is not a delivery" "TLS connection reused" \
            "status=expired, returned to sender" "postscreen"; do
  grep -qF "$text" boundary.txt || fail "Get-Help about_Boundary does not show '$text'"
done
# Dovecot's lines in the rsyslog capture are counted as Ignored, not rejected.
db="$tmp/ignored.db"; boundary
mf "Import-MessageTrace -Path '$data/syslog-traditional.log' -Year 2026 -TimeZone UTC | Select-Object -ExpandProperty Ignored" >ignored
want=$(grep -c ' dovecot: ' "$data/syslog-traditional.log")
[ "$(cat ignored)" -ge "$want" ] || fail "Ignored $(cat ignored), but the log has $want Dovecot lines"
mf "Import-MessageTrace -Path '$data/syslog-traditional.log' -Year 2026 -TimeZone UTC -Verbose" >/dev/null 2>verbose
grep -q "dovecot $want;" verbose || fail "-Verbose does not break Ignored down by program: $(cat verbose)"
echo "postfix_world: ok"
