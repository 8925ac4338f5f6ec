#!/usr/bin/env bash
# Captures the real Postfix logs under tests/data/postfix-world/ (CI does
# not run this: it needs root, and it takes over /etc/postfix, /etc/aliases
# and Dovecot on the machine). See README.md beside it for what each file is.
#
# One Postfix 3.7 deployment as Debian mail stacks have it, plus a second
# Postfix instance playing every partner's server:
#   mx1.contoso.com  /etc/postfix: postscreen on 127.0.0.1:25, a content
#                    filter hop on loopback (10025), Dovecot LMTP over
#                    private/dovecot-lmtp, local/virtual/pipe/discard/error/
#                    retry deliveries, submission on 587 with Dovecot SASL,
#                    TLS connection reuse through tlsproxy.
#   partners         /etc/postfix-remote on 127.0.0.9..15: verified, self-
#                    signed, TLS 1.0-only, TLS 1.1-only and no-STARTTLS servers;
#                    it also sends to contoso.com over TLS 1.0 and TLS 1.1.
# External clients are swaks (or a raw socket) bound to 127.0.0.2..8 and
# 127.0.0.66/67; internal clients use 127.0.0.1 and ::1.
#
# Every message and attempt is listed, with what mailflow must make of it,
# in expected.csv, written here as the script sends (never read back from a
# log). The scenario runs twice: once through rsyslog (three templates of
# one run: syslog-traditional.log, syslog-precise.log, syslog-rfc5424.log)
# and once through Postfix's own maillog_file (maillog.log); the expected
# list of both runs must be the same.
#
# Usage (as root, Debian 12): tests/data/postfix-world/capture.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
conf="$here/conf"
logdir=/var/log/postfix-capture

export DEBIAN_FRONTEND=noninteractive
need=()
for p in postfix dovecot-core dovecot-lmtpd swaks libnet-ssleay-perl libio-socket-inet6-perl \
         libauthen-sasl-perl openssl rsyslog python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

stop_all() {
  postfix -c /etc/postfix-remote stop 2>/dev/null || true
  postfix stop 2>/dev/null || true
  if [ -f /run/dovecot-capture/master.pid ]; then
    kill "$(cat /run/dovecot-capture/master.pid)" 2>/dev/null || true
  fi
  if [ -f /run/capture-rsyslogd.pid ]; then
    kill "$(cat /run/capture-rsyslogd.pid)" 2>/dev/null || true
    rm -f /run/capture-rsyslogd.pid
  fi
  sleep 1
}
stop_all

# Host names: each client and server address resolves to its own name.
add_host() { grep -q "^$1 $2\$" /etc/hosts || echo "$1 $2" >> /etc/hosts; }
add_host 127.0.0.2 mail.fabrikam.example
add_host 127.0.0.3 mail.tailspin.example
add_host 127.0.0.4 smtp.woodgrove.example
add_host 127.0.0.5 roaming.contoso-users.example
add_host 127.0.0.6 scanner.contoso-branch.example
add_host 127.0.0.7 mail.relecloud.example
add_host 127.0.0.8 gw.alpineski.example
add_host 127.0.0.9 mx.fabrikam.example
add_host 127.0.0.9 mx.tailspin.example
add_host 127.0.0.9 mx.woodgrove.example
add_host 127.0.0.9 smarthost.relay.example
add_host 127.0.0.10 mx.litware.example
add_host 127.0.0.11 mx.adatum.example
add_host 127.0.0.12 mx.proseware.example
add_host 127.0.0.12 mx.fourthcoffee.example
add_host 127.0.0.13 mx.wingtip.example
add_host 127.0.0.13 mx.coho.example
add_host 127.0.0.14 mx.margie.example
add_host 127.0.0.15 mx.lucerne.example
add_host 127.0.0.66 spam.bulk-sender.example
add_host 127.0.0.67 relay.listed.example

# --- certificates: a local CA; partners' servers signed by it, one
# self-signed server, one partner's client certificate, one self-signed client.
tls=/etc/postfix-capture-tls
install -d "$tls"
if [ ! -f "$tls/ca.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Contoso Capture CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
  signed() {  # signed NAME CN SAN...
    local name=$1 cn=$2; shift 2
    local san; san=$(printf 'DNS:%s,' "$@"); san=${san%,}
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$tls/$name.key" -out "$tls/$name.csr" 2>/dev/null
    openssl x509 -req -in "$tls/$name.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
      -days 3650 -extfile <(echo "subjectAltName=$san") -out "$tls/$name.pem" 2>/dev/null
  }
  signed mx1 mx1.contoso.com mx1.contoso.com
  signed partners mx.fabrikam.example mx.fabrikam.example mx.tailspin.example mx.woodgrove.example \
    smarthost.relay.example mx.litware.example mx.wingtip.example mx.coho.example mx.margie.example
  signed margie-client mx.margie.example mx.margie.example
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=mx.proseware.example \
    -addext "subjectAltName=DNS:mx.proseware.example,DNS:mx.fourthcoffee.example" \
    -keyout "$tls/selfsigned.key" -out "$tls/selfsigned.pem" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=mail.tailspin.example \
    -keyout "$tls/tailspin-client.key" -out "$tls/tailspin-client.pem" 2>/dev/null
fi

# --- our instance ---------------------------------------------------------
install -d /etc/postfix/tls
cp "$conf/mx/main.cf" /etc/postfix/main.cf
postconf -e "alternate_config_directories = /etc/postfix-remote"
cp /usr/share/postfix/master.cf.dist /etc/postfix/master.cf
sed -i 's/^smtp      inet/#smtp      inet/' /etc/postfix/master.cf
cat "$conf/mx/master.cf.append" >> /etc/postfix/master.cf
postconf -F '*/*/chroot = n'
for f in vmailbox virtual transport tls_policy postscreen_access.cidr client_access.cidr; do
  cp "$conf/mx/$f" /etc/postfix/$f
done
cp "$tls/ca.pem" "$tls/mx1.pem" "$tls/mx1.key" /etc/postfix/tls/
cp "$conf/mx/aliases" /etc/aliases && newaliases
install -d -o 5000 -g 5000 /var/mail/capture-vhosts /var/mail/capture-remote
install -d -m 1777 /var/mail/capture-local
install -m 666 /dev/null /var/mail/capture-local/postmaster

# --- Dovecot: LMTP and SASL sockets in Postfix's queue directory ----------
getent group vmail >/dev/null || groupadd -g 5000 vmail
getent passwd vmail >/dev/null || useradd -u 5000 -g 5000 -d /var/mail/capture-vhosts -s /usr/sbin/nologin vmail
install -d /etc/dovecot-capture /var/lib/dovecot-capture
cp "$conf/dovecot/dovecot.conf" /etc/dovecot-capture/dovecot.conf
cp "$conf/dovecot/users" /etc/dovecot-capture/users

# --- the remote instance --------------------------------------------------
install -d /etc/postfix-remote/tls /var/spool/postfix-remote
install -d -o postfix -g postfix /var/lib/postfix-remote
cp "$conf/remote/main.cf" /etc/postfix-remote/main.cf
for f in vmailbox sender_transport; do cp "$conf/remote/$f" /etc/postfix-remote/$f; done
sed 's/^smtp      inet/#smtp      inet/' /usr/share/postfix/master.cf.dist > /etc/postfix-remote/master.cf
cat "$conf/remote/master.cf.append" >> /etc/postfix-remote/master.cf
postconf -c /etc/postfix-remote -F '*/*/chroot = n'
cp "$tls"/{partners,selfsigned,margie-client}.{pem,key} /etc/postfix-remote/tls/
postfix -c /etc/postfix-remote post-install create-missing >/dev/null 2>&1 || true
postfix set-permissions >/dev/null 2>&1 || true

# --- the expected list ----------------------------------------------------
# expect CASE KIND DIRECTION SENDER RECIPIENTS REMOTE_HOST REMOTE_IP TLS TRUST STATUS USER DETAIL
#   KIND record:      one trace record mailflow must make
#   KIND none:        the case makes no trace record (mail that stayed inside,
#                     or was discarded)
#   KIND refused:     a refused attempt; RECIPIENTS is the refused recipient,
#                     DETAIL the program that refused
#   KIND tls-failure: a failed TLS attempt; DETAIL is Postfix's reason
#   KIND auth:        an authenticated submission; USER is the SASL name
# Lists within a field are joined with ';'; "-" is an empty value.
header="case,kind,direction,sender,recipients,remote_host,remote_ip,tls,trust,status,user,detail"
expect() {  # one CSV row; a field with a comma is quoted
  local out="" f
  for f in "$@"; do
    [[ $f == *,* ]] && f="\"$f\""
    out+="${out:+,}$f"
  done
  echo "$out" >> "$expected"
}

# Mail meant to stay deferred (it expires, or is still pending at the end).
stuck='adatum\.example|lucerne\.example|coho\.example|fourthcoffee\.example|paused\.example'
wait_queue() {  # until our queue holds nothing but the mail meant to stay deferred
  for _ in $(seq 1 60); do
    n=$(postqueue -j 2>/dev/null | grep -vcE "$stuck" || true)
    [ "$n" = 0 ] && return 0
    sleep 1
  done
  echo "capture: queue did not drain" >&2
  postqueue -p >&2
}
wait_remote() {  # until the partners' queue is empty
  for _ in $(seq 1 60); do
    [ -z "$(postqueue -c /etc/postfix-remote -j 2>/dev/null)" ] && return 0
    sleep 1
  done
  echo "capture: remote queue did not drain" >&2
}

swaks_in() {  # swaks_in CLIENT_IP EHLO ARGS...: an external server connecting to us on 25
  local ip=$1 ehlo=$2; shift 2
  swaks --server 127.0.0.1:25 --local-interface "$ip" --ehlo "$ehlo" --silent 2 "$@" || true
}
swaks_int() {  # swaks_int ARGS...: an internal client (127.0.0.1) relaying through port 25
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 "$@" || true
}
partner_send() {  # partner_send IP FROM TO SUBJECT: mail queued at a partner, sent to us
  swaks --server "$1:25" --local-interface "$1" --silent 2 --from "$2" --to "$3" --h-Subject "$4" || true
}

scenario() {
  # --- inbound from external servers, through postscreen, smtpd, the
  # content filter and its re-injection, into Dovecot over LMTP.
  swaks_in 127.0.0.2 mail.fabrikam.example --from sam@fabrikam.example --to alice@contoso.com \
    --tls --h-Subject "in-tls13"
  expect in-tls13 record Inbound sam@fabrikam.example alice@contoso.com mail.fabrikam.example 127.0.0.2 TLS1.3 Anonymous Delivered - -
  swaks_in 127.0.0.3 mail.tailspin.example --from tom@tailspin.example --to bob@contoso.com \
    --tls --tls-protocol tlsv1_2 --tls-cert "$tls/tailspin-client.pem" --tls-key "$tls/tailspin-client.key" \
    --h-Subject "in-tls12-client-cert"
  expect in-tls12-client-cert record Inbound tom@tailspin.example bob@contoso.com mail.tailspin.example 127.0.0.3 TLS1.2 Untrusted Delivered - -
  swaks_in 127.0.0.4 smtp.woodgrove.example --from wendy@woodgrove.example --to alice@contoso.com \
    --h-Subject "in-plain"
  expect in-plain record Inbound wendy@woodgrove.example alice@contoso.com smtp.woodgrove.example 127.0.0.4 None - Delivered - -
  swaks_in 127.0.0.2 mail.fabrikam.example --from sam@fabrikam.example \
    --to alice@contoso.com,bob@contoso.com,carol@contoso.com --tls --h-Subject "in-multi"
  expect in-multi record Inbound sam@fabrikam.example "alice@contoso.com;bob@contoso.com;carol@contoso.com" \
    mail.fabrikam.example 127.0.0.2 TLS1.3 Anonymous Delivered - -
  swaks_in 127.0.0.3 mail.tailspin.example --from tom@tailspin.example --to team@contoso.com \
    --h-Subject "in-alias"
  expect in-alias record Inbound tom@tailspin.example "alice@contoso.com;bob@contoso.com" mail.tailspin.example 127.0.0.3 None - Delivered - -
  # One recipient accepted, the next rejected: the reject line carries the
  # queue id, and the accepted recipient's message goes on.
  swaks_in 127.0.0.2 mail.fabrikam.example --from pat@fabrikam.example \
    --to carol@contoso.com,nosuch@contoso.com --tls --h-Subject "in-partial"
  expect in-partial record Inbound pat@fabrikam.example carol@contoso.com mail.fabrikam.example 127.0.0.2 TLS1.3 Anonymous Delivered - -
  expect in-partial refused Inbound pat@fabrikam.example nosuch@contoso.com mail.fabrikam.example 127.0.0.2 - - - - smtpd
  # Refused sessions: unknown user, relay denied, smtpd's client block list,
  # postscreen's deny list.
  swaks_in 127.0.0.2 mail.fabrikam.example --from sam@fabrikam.example --to nobody@contoso.com \
    --tls --h-Subject "in-unknown-user"
  expect in-unknown-user refused Inbound sam@fabrikam.example nobody@contoso.com mail.fabrikam.example 127.0.0.2 - - - - smtpd
  swaks_in 127.0.0.4 smtp.woodgrove.example --from wendy@woodgrove.example --to victim@elsewhere.example \
    --h-Subject "in-relay-denied"
  expect in-relay-denied refused Inbound wendy@woodgrove.example victim@elsewhere.example smtp.woodgrove.example 127.0.0.4 - - - - smtpd
  swaks_in 127.0.0.67 relay.listed.example --from offers@listed.example --to alice@contoso.com \
    --h-Subject "in-client-blocked"
  expect in-client-blocked refused Inbound offers@listed.example alice@contoso.com relay.listed.example 127.0.0.67 - - - - smtpd
  swaks_in 127.0.0.66 spam.bulk-sender.example --from promo@bulk-sender.example --to bob@contoso.com \
    --h-Subject "in-postscreen"
  expect in-postscreen refused Inbound promo@bulk-sender.example bob@contoso.com - 127.0.0.66 - - - - postscreen
  # Failed STARTTLS: a client whose only cipher we lack, and a client that
  # sends plain text after STARTTLS.
  swaks_in 127.0.0.7 mail.relecloud.example --from ops@relecloud.example --to alice@contoso.com \
    --tls --tls-protocol tlsv1_2 --tls-cipher ECDHE-ECDSA-AES128-GCM-SHA256 --h-Subject "in-tls-fail-cipher"
  expect in-tls-fail-cipher tls-failure Inbound - - mail.relecloud.example 127.0.0.7 - - - - "no shared cipher"
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.8", 0))
s.connect(("127.0.0.1", 25))
s.settimeout(10)
f = s.makefile("rb")
def reply():
    while True:
        line = f.readline()
        if not line or line[3:4] == b" ":
            return line
reply()
s.sendall(b"EHLO gw.alpineski.example\r\n"); reply()
s.sendall(b"STARTTLS\r\n"); reply()
s.sendall(b"MAIL FROM:<it@alpineski.example>\r\n")
try:
    s.recv(100)
except OSError:
    pass
s.close()
EOF
  expect in-tls-fail-plaintext tls-failure Inbound - - gw.alpineski.example 127.0.0.8 - - - - "wrong version number"
  # Inbound to an alias that forwards outside: one record each way.
  swaks_in 127.0.0.3 mail.tailspin.example --from tom@tailspin.example --to escalate@contoso.com \
    --tls --h-Subject "in-forward"
  expect in-forward record Inbound tom@tailspin.example sam@fabrikam.example mail.tailspin.example 127.0.0.3 TLS1.3 Anonymous Delivered - -
  expect in-forward record Outbound tom@tailspin.example sam@fabrikam.example mx.fabrikam.example 127.0.0.9 TLS1.3 Verified Delivered - -
  # Local (an alias to a file), virtual(8) and pipe deliveries.
  swaks_in 127.0.0.4 smtp.woodgrove.example --from wendy@woodgrove.example --to ops@contoso.com \
    --h-Subject "in-local"
  expect in-local record Inbound wendy@woodgrove.example postmaster@mx1.contoso.com smtp.woodgrove.example 127.0.0.4 None - Delivered - -
  swaks_in 127.0.0.2 mail.fabrikam.example --from sam@fabrikam.example \
    --to info@legacy.contoso.com,journal@archive.contoso.com --tls --h-Subject "in-agents"
  expect in-agents record Inbound sam@fabrikam.example "info@legacy.contoso.com;journal@archive.contoso.com" \
    mail.fabrikam.example 127.0.0.2 TLS1.3 Anonymous Delivered - -
  # Partners' servers on old TLS: wingtip over TLS 1.0 (no client
  # certificate), margie over TLS 1.1 with a certificate from our CA.
  partner_send 127.0.0.13 kim@wingtip.example alice@contoso.com "in-tls10"
  expect in-tls10 record Inbound kim@wingtip.example alice@contoso.com mx.wingtip.example 127.0.0.13 TLS1.0 Anonymous Delivered - -
  wait_remote
  partner_send 127.0.0.14 max@margie.example bob@contoso.com "in-tls11"
  expect in-tls11 record Inbound max@margie.example bob@contoso.com mx.margie.example 127.0.0.14 TLS1.1 Trusted Delivered - -
  wait_remote
  wait_queue

  # --- outbound: internal clients relaying through port 25 (and the filter).
  swaks_int --from alice@contoso.com --to bob@contoso.com --h-Subject "int-local"
  expect int-local none Outbound alice@contoso.com bob@contoso.com - - - - - - -
  # Mail that can never leave, and mail that will not leave for a while:
  # sent first so that it expires (maximal_queue_lifetime 90s) before the end.
  swaks_int --from bob@contoso.com --to someone@adatum.example --h-Subject "out-expired"
  expect out-expired record Outbound bob@contoso.com someone@adatum.example mx.adatum.example 127.0.0.11 None - Failed - -
  # Queued while adatum is marked dead: "delivery temporarily suspended".
  sleep 2
  swaks_int --from alice@contoso.com --to other@adatum.example --h-Subject "out-expired-2"
  expect out-expired-2 record Outbound alice@contoso.com other@adatum.example mx.adatum.example 127.0.0.11 None - Failed - -
  # The error and retry transports: smtpd refuses their domains at RCPT
  # time, so these come from local submission (sendmail), as cron mail does.
  printf 'Subject: out-retry\n\nreport\n' | sendmail -f carol@contoso.com ops@paused.example
  expect out-retry record Outbound carol@contoso.com ops@paused.example - - None - Failed - -
  swaks_int --from alice@contoso.com --to ann@lucerne.example --h-Subject "out-tls-required"
  expect out-tls-required record Outbound alice@contoso.com ann@lucerne.example mx.lucerne.example 127.0.0.15 None - Failed - -
  expect out-tls-required tls-failure Outbound - - mx.lucerne.example 127.0.0.15 - - - - "TLS is required, but was not offered"
  swaks_int --from bob@contoso.com --to joe@coho.example --h-Subject "out-tls-handshake"
  expect out-tls-handshake record Outbound bob@contoso.com joe@coho.example mx.coho.example 127.0.0.13 None - Failed - -
  expect out-tls-handshake tls-failure Outbound - - mx.coho.example 127.0.0.13 - - - - "Cannot start TLS: handshake failure"
  swaks_int --from carol@contoso.com --to liz@fourthcoffee.example --h-Subject "out-tls-unverified"
  expect out-tls-unverified record Outbound carol@contoso.com liz@fourthcoffee.example mx.fourthcoffee.example 127.0.0.12 None - Failed - -
  expect out-tls-unverified tls-failure Outbound - - mx.fourthcoffee.example 127.0.0.12 - - - - "Server certificate not verified"
  # Delivered at once: verified, then a second message over the same,
  # reused TLS connection (tlsproxy); anonymous; plain; self-signed; TLS 1.0
  # and TLS 1.1.
  swaks_int --from alice@contoso.com --to sam@fabrikam.example --h-Subject "out-verified"
  expect out-verified record Outbound alice@contoso.com sam@fabrikam.example mx.fabrikam.example 127.0.0.9 TLS1.3 Verified Delivered - -
  swaks_int --from bob@contoso.com --to pat@fabrikam.example --h-Subject "out-reused"
  expect out-reused record Outbound bob@contoso.com pat@fabrikam.example mx.fabrikam.example 127.0.0.9 TLS1.3 Verified Delivered - -
  wait_queue
  swaks_int --from bob@contoso.com --to tom@tailspin.example --h-Subject "out-anonymous"
  expect out-anonymous record Outbound bob@contoso.com tom@tailspin.example mx.tailspin.example 127.0.0.9 TLS1.2 Anonymous Delivered - -
  wait_queue
  swaks_int --from carol@contoso.com --to wendy@woodgrove.example --h-Subject "out-plain"
  expect out-plain record Outbound carol@contoso.com wendy@woodgrove.example mx.woodgrove.example 127.0.0.9 None - Delivered - -
  wait_queue
  swaks_int --from alice@contoso.com --to ray@proseware.example --h-Subject "out-untrusted"
  expect out-untrusted record Outbound alice@contoso.com ray@proseware.example mx.proseware.example 127.0.0.12 TLS1.3 Untrusted Delivered - -
  wait_queue
  swaks_int --from alice@contoso.com --to kim@wingtip.example --h-Subject "out-tls10"
  expect out-tls10 record Outbound alice@contoso.com kim@wingtip.example mx.wingtip.example 127.0.0.13 TLS1.0 Anonymous Delivered - -
  wait_queue
  swaks_int --from bob@contoso.com --to max@margie.example --h-Subject "out-tls11"
  expect out-tls11 record Outbound bob@contoso.com max@margie.example mx.margie.example 127.0.0.14 TLS1.1 Anonymous Delivered - -
  wait_queue
  # Two recipients at one server: one record; one delivered and one bounced
  # recipient: two records (the bounce notice to alice stays inside).
  swaks_int --from alice@contoso.com --to sam@fabrikam.example,pat@fabrikam.example --h-Subject "out-multi"
  expect out-multi record Outbound alice@contoso.com "sam@fabrikam.example;pat@fabrikam.example" mx.fabrikam.example 127.0.0.9 TLS1.3 Verified Delivered - -
  wait_queue
  swaks_int --from alice@contoso.com --to pat@fabrikam.example,nobody@fabrikam.example --h-Subject "out-bounce"
  expect out-bounce record Outbound alice@contoso.com pat@fabrikam.example mx.fabrikam.example 127.0.0.9 TLS1.3 Verified Delivered - -
  expect out-bounce record Outbound alice@contoso.com nobody@fabrikam.example mx.fabrikam.example 127.0.0.9 TLS1.3 Verified Failed - -
  wait_queue
  # The error transport (a closed domain) and the discard transport.
  printf 'Subject: out-error\n\nreport\n' | sendmail -f bob@contoso.com info@closed.example
  expect out-error record Outbound bob@contoso.com info@closed.example - - None - Failed - -
  swaks_int --from alice@contoso.com --to sink@blackhole.example --h-Subject "out-discard"
  expect out-discard none Outbound alice@contoso.com sink@blackhole.example - - - - - - -
  wait_queue

  # --- submission on 587 with SASL: not inbound; counted per user.
  swaks --server 127.0.0.1:587 --local-interface 127.0.0.5 --ehlo roaming.contoso-users.example --silent 2 \
    --tls --tls-protocol tlsv1_2 --auth PLAIN --auth-user alice@contoso.com --auth-password secret \
    --from alice@contoso.com --to sam@fabrikam.example --h-Subject "sub-tls12" || true
  expect sub-tls12 auth - alice@contoso.com sam@fabrikam.example roaming.contoso-users.example 127.0.0.5 TLS1.2 - - alice@contoso.com -
  expect sub-tls12 record Outbound alice@contoso.com sam@fabrikam.example mx.fabrikam.example 127.0.0.9 TLS1.3 Verified Delivered - -
  wait_queue
  swaks --server 127.0.0.1:587 --local-interface 127.0.0.6 --ehlo scanner.contoso-branch.example --silent 2 \
    --tls --tls-protocol tlsv1 --tls-cipher 'DEFAULT:@SECLEVEL=0' \
    --auth LOGIN --auth-user scanner@contoso.com --auth-password scan2pdf \
    --from scanner@contoso.com --to bob@contoso.com --h-Subject "sub-tls10" || true
  expect sub-tls10 auth - scanner@contoso.com bob@contoso.com scanner.contoso-branch.example 127.0.0.6 TLS1.0 - - scanner@contoso.com -
  expect sub-tls10 none Outbound scanner@contoso.com bob@contoso.com - - - - - - -
  wait_queue
  swaks --server 127.0.0.1:587 --local-interface 127.0.0.5 --ehlo roaming.contoso-users.example --silent 2 \
    --tls --auth PLAIN --auth-user carol@contoso.com --auth-password secret \
    --from carol@contoso.com --to wendy@woodgrove.example --h-Subject "sub-tls13" || true
  expect sub-tls13 auth - carol@contoso.com wendy@woodgrove.example roaming.contoso-users.example 127.0.0.5 TLS1.3 - - carol@contoso.com -
  expect sub-tls13 record Outbound carol@contoso.com wendy@woodgrove.example mx.woodgrove.example 127.0.0.9 None - Delivered - -
  wait_queue
  # Submission from an internal client over IPv6, no SASL, via the smart host.
  swaks --server '[::1]:587' --silent 2 --tls --from bob@contoso.com --to dan@northwind.example \
    --h-Subject "sub-internal-v6" || true
  expect sub-internal-v6 record Outbound bob@contoso.com dan@northwind.example smarthost.relay.example 127.0.0.9 TLS1.3 Trusted Delivered - -
  wait_queue
  # Local pickup: one outside recipient, one inside.
  printf 'Subject: pickup\nFrom: carol@contoso.com\n\nsent with sendmail\n' |
    sendmail -f carol@contoso.com sam@fabrikam.example alice@contoso.com
  expect pickup record Outbound carol@contoso.com sam@fabrikam.example mx.fabrikam.example 127.0.0.9 TLS1.3 Verified Delivered - -
  wait_queue

  # --- deferred, then delivered once litware's server comes up.
  swaks_int --from carol@contoso.com --to lee@litware.example --h-Subject "out-deferred-then-sent"
  expect out-deferred-then-sent record Outbound carol@contoso.com lee@litware.example mx.litware.example 127.0.0.10 TLS1.3 Trusted Delivered - -
  sleep 12
  postconf -c /etc/postfix-remote -M '127.0.0.10:smtp/inet=127.0.0.10:smtp inet n - n - - smtpd -o myhostname=mx.litware.example'
  postfix -c /etc/postfix-remote reload
  sleep 2
  postqueue -f
  wait_queue

  # --- the rest expires (90 seconds after it was queued); one last message
  # is still deferred when the capture stops.
  for _ in $(seq 1 150); do
    [ "$(postqueue -j 2>/dev/null | wc -l)" = 0 ] && break
    sleep 1
  done
  swaks_int --from bob@contoso.com --to late@adatum.example --h-Subject "out-pending"
  expect out-pending record Outbound bob@contoso.com late@adatum.example mx.adatum.example 127.0.0.11 None - Pending - -
  sleep 25
  postconf -c /etc/postfix-remote -MX 127.0.0.10:smtp/inet
}

run() {  # run MODE: syslog | maillog
  stop_all
  rm -rf "$logdir" && install -d "$logdir"
  postsuper -d ALL >/dev/null 2>&1 || true
  postsuper -c /etc/postfix-remote -d ALL >/dev/null 2>&1 || true
  rm -f /var/lib/postfix/*_scache.db
  postconf -c /etc/postfix-remote -MX 127.0.0.10:smtp/inet 2>/dev/null || true
  if [ "$1" = syslog ]; then
    postconf -e "maillog_file ="
    cat > /etc/capture-rsyslog.conf <<EOF
module(load="imuxsock")
mail.* action(type="omfile" file="$logdir/syslog-traditional.log" template="RSYSLOG_TraditionalFileFormat")
mail.* action(type="omfile" file="$logdir/syslog-precise.log" template="RSYSLOG_FileFormat")
mail.* action(type="omfile" file="$logdir/syslog-rfc5424.log" template="RSYSLOG_SyslogProtocol23Format")
EOF
    rsyslogd -f /etc/capture-rsyslog.conf -i /run/capture-rsyslogd.pid
    sleep 1
  else
    postconf -e "maillog_file = $logdir/maillog.log"
  fi
  dovecot -c /etc/dovecot-capture/dovecot.conf
  postfix start
  postfix -c /etc/postfix-remote start
  sleep 2
  expected="$here/expected.csv.$1"
  echo "$header" > "$expected"
  scenario
  sleep 2
  stop_all
}

run syslog
for f in syslog-traditional syslog-precise syslog-rfc5424; do cp "$logdir/$f.log" "$here/$f.log"; done
run maillog
cp "$logdir/maillog.log" "$here/maillog.log"
cmp "$here/expected.csv.syslog" "$here/expected.csv.maillog"
mv "$here/expected.csv.syslog" "$here/expected.csv"
rm -f "$here/expected.csv.maillog"
"$here/derive.py" "$here"
echo "capture: wrote the logs, expected.csv and the derived fixtures in $here"
