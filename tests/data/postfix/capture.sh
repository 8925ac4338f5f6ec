#!/usr/bin/env bash
# Captures the real Postfix logs under tests/data/postfix/ (CI does not run
# this; it needs root, and it takes over /etc/postfix on the machine).
#
# Two Postfix 3.7 instances on loopback:
#   mx1.contoso.com      /etc/postfix         127.0.0.1:25, 587 and [::1] - "our" server
#   mx.fabrikam.example  /etc/postfix-remote  127.0.0.9 (and .10 later) - partners' servers
# External clients are swaks bound to 127.0.0.2..5; internal clients use
# 127.0.0.1 and ::1. Every message sent is listed, with the trace records
# mailflow must make of it, in sent.csv.
#
# The scenario runs twice: once logging through Postfix's own maillog_file
# (mx1-maillog.log) and once through rsyslog (syslog-classic.log in the
# traditional format, syslog-rfc3339.log in rsyslog's high-precision format).
#
# Usage (as root, Debian 12): tests/data/postfix/capture.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
conf="$here/conf"
logdir=/var/log/postfix-capture

export DEBIAN_FRONTEND=noninteractive
need=()
for p in postfix swaks libnet-ssleay-perl libio-socket-inet6-perl libauthen-sasl-perl \
         sasl2-bin libsasl2-modules openssl rsyslog; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

stop_all() {
  postfix -c /etc/postfix-remote stop 2>/dev/null || true
  postfix stop 2>/dev/null || true
  if [ -f /run/capture-rsyslogd.pid ]; then
    kill "$(cat /run/capture-rsyslogd.pid)" 2>/dev/null || true
    rm -f /run/capture-rsyslogd.pid
  fi
  sleep 1
}
stop_all

# Host names: external clients reverse-resolve to their own names; every
# remote MX name points at the remote instance.
add_host() { grep -q "^$1 $2\$" /etc/hosts || echo "$1 $2" >> /etc/hosts; }
add_host 127.0.0.2 mail.fabrikam.example
add_host 127.0.0.3 mail.tailspin.example
add_host 127.0.0.4 smtp.woodgrove.example
add_host 127.0.0.5 roaming.contoso-users.example
add_host 127.0.0.9 mx.fabrikam.example
add_host 127.0.0.9 mx.tailspin.example
add_host 127.0.0.9 mx.woodgrove.example
add_host 127.0.0.9 smarthost.relay.example
add_host 127.0.0.10 mx.litware.example
add_host 127.0.0.11 mx.adatum.example

# --- our instance ---------------------------------------------------------
install -d /etc/postfix/tls /etc/postfix/sasl
cp "$conf/mx/main.cf" /etc/postfix/main.cf
postconf -e "alternate_config_directories = /etc/postfix-remote"
cp /usr/share/postfix/master.cf.dist /etc/postfix/master.cf
cat "$conf/mx/master.cf.append" >> /etc/postfix/master.cf
postconf -F '*/*/chroot = n'
for f in vmailbox virtual transport tls_policy; do cp "$conf/mx/$f" /etc/postfix/$f; done
cp "$conf/mx/sasl/smtpd.conf" /etc/postfix/sasl/smtpd.conf
[ -f /etc/postfix/tls/mx1.pem ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
  -subj /CN=mx1.contoso.com -keyout /etc/postfix/tls/mx1.key -out /etc/postfix/tls/mx1.pem 2>/dev/null
rm -f /etc/postfix/sasl/sasldb2
echo secret | saslpasswd2 -p -c -f /etc/postfix/sasl/sasldb2 -u contoso.com alice
chown postfix:postfix /etc/postfix/sasl/sasldb2
install -d -o 5000 -g 5000 /var/mail/capture-vhosts /var/mail/capture-remote
touch /etc/aliases && newaliases 2>/dev/null || true

# --- the remote instance --------------------------------------------------
install -d /etc/postfix-remote/tls /var/spool/postfix-remote
install -d -o postfix -g postfix /var/lib/postfix-remote
cp "$conf/remote/main.cf" /etc/postfix-remote/main.cf
cp "$conf/remote/vmailbox" /etc/postfix-remote/vmailbox
sed 's/^smtp      inet/127.0.0.9:smtp inet/' /usr/share/postfix/master.cf.dist > /etc/postfix-remote/master.cf
postconf -c /etc/postfix-remote -F '*/*/chroot = n'
[ -f /etc/postfix-remote/tls/remote.pem ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
  -subj /CN=mx.fabrikam.example -keyout /etc/postfix-remote/tls/remote.key \
  -out /etc/postfix-remote/tls/remote.pem 2>/dev/null
postfix -c /etc/postfix-remote post-install create-missing >/dev/null 2>&1 || true
postfix set-permissions >/dev/null 2>&1 || true

: > "$here/sent.csv.new"
echo "case,direction,sender,recipients,remote_host,tls,status" > "$here/sent.csv.new"
# expect CASE DIRECTION SENDER RECIPIENTS REMOTE_HOST TLS STATUS: one trace
# record mailflow must make (DIRECTION "none": the case makes no record;
# "refused": a refused session, RECIPIENTS is the refused recipient).
expect() { local IFS=,; echo "$*" >> "$here/sent.csv.new"; }

wait_queue() {  # until our queue holds nothing but the mail meant to stay deferred
  for _ in $(seq 1 60); do
    n=$(postqueue -j 2>/dev/null | grep -vc adatum.example || true)
    [ "$n" = 0 ] && return 0
    sleep 1
  done
  echo "capture: queue did not drain" >&2
  postqueue -p >&2
}

swaks_in() {  # swaks_in CLIENT_IP EHLO ARGS...: an external server connecting to us
  local ip=$1 ehlo=$2; shift 2
  swaks --server 127.0.0.1:25 --local-interface "$ip" --ehlo "$ehlo" --silent 2 "$@" || true
}

scenario() {
  # Inbound from external servers: TLS1.3, TLS1.2 and plain text, in this
  # order, so that one smtpd process serves a plain session after TLS ones.
  swaks_in 127.0.0.2 mail.fabrikam.example --from sam@fabrikam.example --to alice@contoso.com \
    --tls --h-Subject "in-tls13"
  expect in-tls13 Inbound sam@fabrikam.example alice@contoso.com mail.fabrikam.example TLS1.3 Delivered
  swaks_in 127.0.0.3 mail.tailspin.example --from tom@tailspin.example --to bob@contoso.com \
    --tls --tls-protocol tlsv1_2 --h-Subject "in-tls12"
  expect in-tls12 Inbound tom@tailspin.example bob@contoso.com mail.tailspin.example TLS1.2 Delivered
  swaks_in 127.0.0.4 smtp.woodgrove.example --from wendy@woodgrove.example --to alice@contoso.com \
    --h-Subject "in-plain"
  expect in-plain Inbound wendy@woodgrove.example alice@contoso.com smtp.woodgrove.example None Delivered
  swaks_in 127.0.0.2 mail.fabrikam.example --from sam@fabrikam.example \
    --to alice@contoso.com,bob@contoso.com,carol@contoso.com --tls --h-Subject "in-multi"
  expect in-multi Inbound sam@fabrikam.example "alice@contoso.com;bob@contoso.com;carol@contoso.com" \
    mail.fabrikam.example TLS1.3 Delivered
  swaks_in 127.0.0.3 mail.tailspin.example --from tom@tailspin.example --to team@contoso.com \
    --h-Subject "in-alias"
  expect in-alias Inbound tom@tailspin.example "alice@contoso.com;bob@contoso.com" mail.tailspin.example None Delivered
  # Refused sessions: unknown user, relay denied.
  swaks_in 127.0.0.2 mail.fabrikam.example --from sam@fabrikam.example --to nobody@contoso.com \
    --tls --h-Subject "in-unknown-user"
  expect in-unknown-user refused sam@fabrikam.example nobody@contoso.com mail.fabrikam.example - -
  swaks_in 127.0.0.4 smtp.woodgrove.example --from wendy@woodgrove.example --to victim@elsewhere.example \
    --h-Subject "in-relay-denied"
  expect in-relay-denied refused wendy@woodgrove.example victim@elsewhere.example smtp.woodgrove.example - -
  # Inbound to an alias that forwards outside: one record each way.
  swaks_in 127.0.0.3 mail.tailspin.example --from tom@tailspin.example --to escalate@contoso.com \
    --tls --h-Subject "in-forward"
  expect in-forward Inbound tom@tailspin.example sam@fabrikam.example mail.tailspin.example TLS1.3 Delivered
  expect in-forward Outbound tom@tailspin.example sam@fabrikam.example mx.fabrikam.example TLS1.3 Delivered
  wait_queue

  # Internal client to internal mailbox: no record.
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 --from alice@contoso.com \
    --to bob@contoso.com --h-Subject "int-local" || true
  expect int-local none alice@contoso.com bob@contoso.com - - -
  # Internal client relaying out: TLS1.3, TLS1.2 (forced by tls_policy), plain.
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 --tls --from alice@contoso.com \
    --to sam@fabrikam.example --h-Subject "out-tls13" || true
  expect out-tls13 Outbound alice@contoso.com sam@fabrikam.example mx.fabrikam.example TLS1.3 Delivered
  wait_queue
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 --from bob@contoso.com \
    --to tom@tailspin.example --h-Subject "out-tls12" || true
  expect out-tls12 Outbound bob@contoso.com tom@tailspin.example mx.tailspin.example TLS1.2 Delivered
  wait_queue
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 --from carol@contoso.com \
    --to wendy@woodgrove.example --h-Subject "out-plain" || true
  expect out-plain Outbound carol@contoso.com wendy@woodgrove.example mx.woodgrove.example None Delivered
  wait_queue
  # Two recipients at one remote server: one connection, one record.
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 --from alice@contoso.com \
    --to sam@fabrikam.example,pat@fabrikam.example --h-Subject "out-multi" || true
  expect out-multi Outbound alice@contoso.com "sam@fabrikam.example;pat@fabrikam.example" mx.fabrikam.example TLS1.3 Delivered
  # One delivered and one bounced recipient at the same server: two records;
  # the bounce notice to alice is delivered locally and makes no record.
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 --from alice@contoso.com \
    --to pat@fabrikam.example,nobody@fabrikam.example --h-Subject "out-bounce" || true
  expect out-bounce Outbound alice@contoso.com pat@fabrikam.example mx.fabrikam.example TLS1.3 Delivered
  expect out-bounce Outbound alice@contoso.com nobody@fabrikam.example mx.fabrikam.example TLS1.3 Failed
  wait_queue
  # Submission on 587 with SASL from an outside address (a roaming user):
  # not inbound; its relay out is outbound, one record per remote server.
  swaks --server 127.0.0.1:587 --local-interface 127.0.0.5 --silent 2 --tls \
    --auth PLAIN --auth-user alice@contoso.com --auth-password secret \
    --from alice@contoso.com --to sam@fabrikam.example,tom@tailspin.example --h-Subject "sub-sasl" || true
  expect sub-sasl Outbound alice@contoso.com sam@fabrikam.example mx.fabrikam.example TLS1.3 Delivered
  expect sub-sasl Outbound alice@contoso.com tom@tailspin.example mx.tailspin.example TLS1.2 Delivered
  wait_queue
  # Submission from an internal client over IPv6, no SASL.
  swaks --server '[::1]:587' --silent 2 --tls --from bob@contoso.com --to dan@northwind.example \
    --h-Subject "sub-internal-v6" || true
  expect sub-internal-v6 Outbound bob@contoso.com dan@northwind.example smarthost.relay.example TLS1.3 Delivered
  wait_queue
  # Local pickup: one outside recipient, one inside.
  printf 'Subject: pickup\nFrom: carol@contoso.com\n\nsent with sendmail\n' |
    sendmail -f carol@contoso.com sam@fabrikam.example alice@contoso.com
  expect pickup Outbound carol@contoso.com sam@fabrikam.example mx.fabrikam.example TLS1.3 Delivered
  wait_queue
  # Deferred for good (nothing listens on 127.0.0.11), and deferred then
  # delivered once litware's server comes up on 127.0.0.10.
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 --from bob@contoso.com \
    --to someone@adatum.example --h-Subject "out-deferred" || true
  expect out-deferred Outbound bob@contoso.com someone@adatum.example mx.adatum.example None Pending
  swaks --server 127.0.0.1:25 --local-interface 127.0.0.1 --silent 2 --from carol@contoso.com \
    --to lee@litware.example --h-Subject "out-deferred-then-sent" || true
  expect out-deferred-then-sent Outbound carol@contoso.com lee@litware.example mx.litware.example TLS1.3 Delivered
  sleep 3
  postconf -c /etc/postfix-remote -M '127.0.0.10:smtp/inet=127.0.0.10:smtp inet n - n - - smtpd'
  postfix -c /etc/postfix-remote reload
  sleep 2
  postqueue -f
  wait_queue
  sleep 2
  postconf -c /etc/postfix-remote -MX 127.0.0.10:smtp/inet
}

run() {  # run MODE: maillog | syslog
  stop_all
  rm -rf "$logdir" && install -d "$logdir"
  postsuper -d ALL >/dev/null 2>&1 || true
  postconf -c /etc/postfix-remote -MX 127.0.0.10:smtp/inet 2>/dev/null || true
  if [ "$1" = syslog ]; then
    postconf -e "maillog_file ="
    postconf -c /etc/postfix-remote -e "maillog_file = $logdir/remote.log"
    cat > /etc/capture-rsyslog.conf <<EOF
module(load="imuxsock")
template(name="classic" type="string" string="%TIMESTAMP% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
template(name="precise" type="string" string="%TIMESTAMP:::date-rfc3339% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
mail.* action(type="omfile" file="$logdir/syslog-classic.log" template="classic")
mail.* action(type="omfile" file="$logdir/syslog-rfc3339.log" template="precise")
EOF
    rsyslogd -f /etc/capture-rsyslog.conf -i /run/capture-rsyslogd.pid
    sleep 1
  else
    postconf -e "maillog_file = $logdir/mx1.log"
  fi
  postfix start
  postfix -c /etc/postfix-remote start
  sleep 2
  scenario
  sleep 2
  stop_all
}

run maillog
cp "$logdir/mx1.log" "$here/mx1-maillog.log"
mv "$here/sent.csv.new" "$here/sent.csv"
run syslog
cp "$logdir/syslog-classic.log" "$here/syslog-classic.log"
cp "$logdir/syslog-rfc3339.log" "$here/syslog-rfc3339.log"
rm -f "$here/sent.csv.new"
postconf -e "maillog_file = $logdir/mx1.log"
echo "capture: wrote mx1-maillog.log, syslog-classic.log, syslog-rfc3339.log and sent.csv in $here"
