#!/usr/bin/env bash
# The built-in insight rules NoTls and Tls10 (stdlib/rules/, both built with
# report.share_rule): titles, thresholds and the recommendation for each
# connector type and direction, against expected/builtin_rules.json (the
# output of the rules as first written out by hand); the exact threshold does
# not fire; the rule file, not report.lua, is named as a rule's source; and
# report.share_rule in a rule of one's own (examples/rules/tls11_share.lua).
# Usage: bash tests/e2e/builtin_rules.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
input="$PWD/tests/e2e/input/builtin_rules.csv"
expected="$PWD/tests/e2e/expected/builtin_rules.json"
examples="$PWD/examples/rules"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "builtin_rules: $*" >&2; exit 1; }
cd "$tmp"
mf() { "$mailflow" --db db --now 2026-11-22 "$@"; }

# Each connector: 3 plain text, 4 TLS 1.0, 3 TLS 1.2 (30% and 40%), P-* partner,
# O-* on-premises, U-* not defined; Clean-In all TLS 1.3.
mf -c "Import-MessageTrace -Path '$input'" >/dev/null
mf -c "New-InboundConnector -Name P-In -ConnectorType Partner -SenderDomains x.example" >/dev/null
mf -c "New-OutboundConnector -Name P-Out -ConnectorType Partner -RecipientDomains contoso.com" >/dev/null
mf -c "New-InboundConnector -Name O-In -ConnectorType OnPremises -SenderIPAddresses 192.0.2.0/24" >/dev/null
mf -c "New-OutboundConnector -Name O-Out -ConnectorType OnPremises -SmartHosts relay.x.example" >/dev/null

mf -c "Get-MailFlowInsights -NoTlsThreshold 12.5 -Tls10Threshold 39.99 | ConvertTo-Json" >got.json
diff -u "$expected" got.json || fail "the built-in rules' insights changed (above)"
# Strictly above: 30% and 40% exactly do not fire.
[ "$(mf -c "Get-MailFlowInsights -NoTlsThreshold 30 -Tls10Threshold 40 | ConvertTo-Json")" = "[]" ] ||
  fail "a share equal to the threshold fired"
# The dashboard's defaults: NoTls at 25% fires on the six mixed connectors, Tls10 at 50% on none.
mf -c "Get-MailFlowInsights | Format-Table Rule, Title, Connector, Threshold" >defaults
{ [ "$(grep -c '^NoTls *No TLS is over 25%' defaults)" = 6 ] && ! grep -q '^Tls10' defaults; } ||
  fail "default thresholds: $(cat defaults)"
mf -c "Get-Help Get-MailFlowInsights -Full" >help
{ grep -q -- "-NoTlsThreshold" help && grep -q -- "-Tls10Threshold" help; } || fail "threshold parameters missing from help"

# A duplicate names the rule's own file.
mkdir rules
printf 'RegisterInsightRule(report.share_rule{ Name = "NoTls", Version = "None", Title = "again", Threshold = { Name = "Again", Default = 1 } })\n' >rules/dup.lua
mf --rules rules -c "Get-MailFlowInsights" >/dev/null 2>err || true
grep -q "insight rule 'NoTls' is defined twice: in .*stdlib/rules/no_tls.lua and in rules/dup.lua" err ||
  fail "duplicate rule: $(cat err)"
# A bad Version is an error at the rule file's line.
printf '\nRegisterInsightRule(report.share_rule{ Name = "Bad", Version = "TLS1.4", Title = "x", Threshold = { Name = "BadThreshold", Default = 1 } })\n' >rules/dup.lua
mf --rules rules -c "Get-MailFlowInsights" >/dev/null 2>err || true
grep -q "skipped rule file rules/dup.lua:2: report.share_rule: Version is TLS1.3, TLS1.2, TLS1.1, TLS1.0 or None, not TLS1.4" err ||
  fail "bad Version: $(cat err)"

# A rule of one's own: TLS 1.1 over 5% (P-In gets 1 TLS 1.1 message of 11 = 9.09%).
printf 'received,direction,connector,tls,sender,recipient,status\n2026-11-21T09:00:00Z,Inbound,P-In,TLS1.1,a@x.example,b@contoso.com,Delivered\n' >tls11.csv
mf -c "Import-MessageTrace -Path tls11.csv" >/dev/null
mf --rules "$examples" -c "Get-MailFlowInsights -Rule Tls11 | Format-List" >tls11
{ grep -q "^Title *: TLS 1.1 is above 5%$" tls11 && grep -q "^Connector *: P-In$" tls11 && grep -q "^Value *: 9.09$" tls11; } ||
  fail "Tls11 example rule: $(cat tls11)"
[ "$(grep -c '^Rule ' tls11)" = 1 ] || fail "Tls11 fired more than once: $(cat tls11)"
grep -q "^Recommendation *: .*partner" tls11 || fail "Tls11: not the default recommendation for a partner connector: $(cat tls11)"
[ "$(mf --rules "$examples" -c "Get-MailFlowInsights -Rule Tls11 -Tls11Threshold 9.09 | ConvertTo-Json")" = "[]" ] ||
  fail "-Tls11Threshold 9.09 fired"
echo "builtin_rules: ok"
