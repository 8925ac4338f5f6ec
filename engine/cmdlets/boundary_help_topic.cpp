// Get-Help about_Boundary: which lines of a server log cross the
// organisation's boundary, with the Postfix lines that decide it.
#include "cmdlets/builtin.h"

namespace mailflow {

const char* boundary_help_topic() {
  return R"TXT(about_Boundary

A trace record is one message crossing the organisation's boundary. Canonical
files say so themselves; for server logs (-Format Postfix) Import-MessageTrace
decides it from the lines and from Set-MailFlowConfig -OrganizationDomains
and -InternalNetworks (default: the host itself, 127.0.0.0/8 and ::1).

INBOUND: a message queued from a client outside InternalNetworks that did not
authenticate. One record per message, with the session's TLS and trust:
  postfix/smtpd[29908]: Anonymous TLS connection established from mail.fabrikam.example[198.51.100.2]: TLSv1.3 ...
  postfix/smtpd[29908]: 8681E114107: client=mail.fabrikam.example[198.51.100.2]
  An authenticated submission (client=..., sasl_method=PLAIN, sasl_username=alice@contoso.com)
  is not inbound; its hand-off outside is outbound.

OUTBOUND: only a hand-off to a server outside. One record per message, relay
host, TLS and outcome:
  postfix/smtp[30057]: Verified TLS connection reused to mx.fabrikam.example[198.51.100.9]:25: TLSv1.3 ...
  postfix/smtp[30057]: C4E41114136: to=<pat@fabrikam.example>, relay=mx.fabrikam.example[198.51.100.9]:25, ... status=sent
  ("TLS connection reused" through tlsproxy counts like "established".)

STAYS INSIDE (no record):
  local, virtual and pipe deliveries:
    postfix/local[30064]: D5D2E114164: to=<postmaster@mx1.contoso.com>, relay=local, ... status=sent
    postfix/pipe[30075]: 88AB011416A: to=<journal@archive.contoso.com>, relay=archive, ... status=sent
  LMTP or SMTP to a unix socket (Dovecot, mailcow, docker-mailserver):
    postfix/lmtp[29923]: D2BF011410B: to=<alice@contoso.com>, relay=mx1.contoso.com[private/dovecot-lmtp], ... status=sent
    postfix/lmtp[811]: 3F2A1: to=<u@example.org>, relay=mail.example.org[/var/run/dovecot/lmtp], ... status=sent
  a hand-off to a host in InternalNetworks, as a content filter on loopback
  (amavis) and its re-injection:
    postfix/amavis/smtp[29913]: 8681E114107: to=<alice@contoso.com>, relay=127.0.0.1[127.0.0.1]:10025, ... status=sent
    postfix/reinject/smtpd[29922]: D2BF011410B: client=localhost[127.0.0.1], orig_queue_id=8681E114107, ...
  discard is not a delivery:
    postfix/discard[30237]: 028F81141DD: to=<sink@blackhole.example>, relay=none, ... status=sent (dropped by policy)

OUTCOMES WITHOUT A CONNECTION: the error and retry transports and expiry end
mail for outside domains as Failed (the record has no remote host):
    postfix/error[30144]: 55DCE11417A: to=<ops@paused.example>, relay=none, ... status=deferred (deliveries paused ...)
    postfix/qmgr[29797]: 55DCE11417A: from=<carol@contoso.com>, status=expired, returned to sender

ONE RECORD PER OUTCOME: a deferred recipient is one Pending record; its later
sent, bounced or expired line turns it into Delivered or Failed, in the same
file, in the next rotated file or in a later import, and the daily rollup
moves with it. An expired message takes its sender from the expired line when
its from= line came before the file began.

REFUSED: smtpd "NOQUEUE: reject:" and "QID: reject:" lines and postscreen's
rejects are refused attempts (Get-RefusedConnection; postscreen's reason
starts "postscreen:"). A recipient refused after another was accepted
removes nothing: the message goes on with the accepted ones.
    postfix/postscreen[29907]: NOQUEUE: reject: RCPT from [203.0.113.66]:56227: 550 5.3.2 Service currently unavailable; ...
    postfix/smtpd[29908]: C101111415E: reject: RCPT from mail.fabrikam.example[198.51.100.2]: 550 5.1.1 <nosuch@contoso.com>: ...

Lines of other programs (dovecot, tlsproxy, bounce) are counted under the
import summary's Ignored.
)TXT";
}

}  // namespace mailflow
