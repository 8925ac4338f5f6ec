#!/usr/bin/env python3
"""Writes a set of Exchange message tracking and SMTP protocol logs of a given
total size, for exchange_bench.sh (-Format ExchangeTracking/ExchangeProtocol).

The files follow the fixtures of tests/data/exchange (see the README there for
the sources of every line shape): Exchange 2019 tracking logs (30 fields,
UTF-8 byte order mark, CRLF, RFC 4180 quoting), SmtpReceive and SmtpSend
protocol logs, files rolled at 10 MB as Exchange does by default
(MSGTRKyyyymmddhh-N.LOG, RECVyyyymmddhh-N.LOG, SENDyyyymmddhh-N.LOG).

The organisation: one Mailbox server EXMBX01 (10.0.1.11) with an Edge server
EXEDGE01 (10.0.2.21 / 203.0.113.25). Per message, at random with a fixed seed:
  inbound  (55%): Edge RECEIVE from an outside peer (its RECV session, STARTTLS
           TLS 1.2 / 1.0 or plain text), Edge SEND to the mailbox server, the
           mailbox server's RECEIVE and DELIVER: one boundary record;
  outbound (45%): SUBMIT, RECEIVE STOREDRIVER, SEND to the Edge over the
           intra-organisation connector, Edge RECEIVE, SENDEXTERNAL to the
           peer (its SEND session); 3% are deferred first (DEFER, then SEND
           later); 1% fail (FAIL). One boundary record.
Usage: exchange_gen.py DIR SIZE_MB [SEED]
"""
import os
import random
import sys

ROLL = 10 * 1024 * 1024
TRK_FIELDS = ("date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,"
              "event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,"
              "total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,"
              "return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,"
              "transport-traffic-type,log-id,schema-version")
PROTO_FIELDS = "date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context"
EDGE_IN, EDGE_OUT, MBX_IP = "10.0.2.21", "203.0.113.25", "10.0.1.11"
RC_EDGE = "EXEDGE01\\Default internal receive connector EXEDGE01"
RC_MBX = "EXMBX01\\Default EXMBX01"
SC_EDGE = "EdgeSync - Default-First-Site-Name to Internet"
TLS_LINE = ("TLS protocol SP_PROT{sep}TLS1_{v}_{side} negotiation succeeded using bulk encryption algorithm "
            "CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key "
            "exchange algorithm CALG_ECDH_EPHEM with strength 384 bits")
PEERS = [("mail.fabrikam.com", "192.0.2.25"), ("mx.northwind.example", "192.0.2.80"),
         ("mail.litware.example", "192.0.2.91"), ("smtp.woodgrove.example", "192.0.2.66"),
         ("mail-sor-f41.google.com", "209.85.220.41"), ("mx1.adatum.example", "198.51.100.77"),
         ("mail-db8eur05on2093.outbound.protection.outlook.com", "40.107.22.93")]
for i in range(200):
    PEERS.append((f"mx{i}.partner{i}.example", f"198.51.100.{i % 250 + 1}"))
USERS = [f"user{i:04d}@contoso.com" for i in range(3000)]
SUBJECTS = ["Quarterly review", "Invoice 7731", "Re: site visit", 'Q4 numbers, "final" version', "Agenda",
            "Falcon: revised timeline", "Minutes", "Fwd: offer"]


def q(v):
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


class Log:
    """One rolling log of one kind: writes header blocks and rolls at 10 MB."""

    def __init__(self, directory, prefix, log_type, fields, version):
        self.dir, self.prefix, self.type, self.fields, self.version = directory, prefix, log_type, fields, version
        self.f, self.size, self.hour, self.n, self.total = None, 0, None, 0, 0

    def write(self, stamp, values):
        hour = stamp[:13].replace("-", "").replace("T", "")
        if self.f is None or self.size >= ROLL or hour != self.hour:
            self.n = self.n + 1 if hour == self.hour else 1
            self.hour = hour
            if self.f:
                self.f.close()
            self.f = open(os.path.join(self.dir, f"{self.prefix}{hour}-{self.n}.LOG"), "wb")
            head = (f"#Software: Microsoft Exchange Server\r\n#Version: {self.version}\r\n#Log-type: {self.type}\r\n"
                    f"#Date: {stamp}\r\n#Fields: {self.fields}\r\n")
            data = b"\xef\xbb\xbf" + head.encode()
            self.f.write(data)
            self.size = len(data)
            self.total += len(data)
        line = (",".join(q(v) for v in values) + "\r\n").encode()
        self.f.write(line)
        self.size += len(line)
        self.total += len(line)

    def close(self):
        if self.f:
            self.f.close()


def stamp(t):
    s, ms = divmod(int(t * 1000), 1000)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    # days since 2026-11-01
    return f"2026-11-{d + 1:02d}T{h:02d}:{m:02d}:{s:02d}.{ms:03d}Z"


def main():
    out, size_mb = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 14)
    for sub in ("EXEDGE01", "EXMBX01"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    edge_trk = Log(os.path.join(out, "EXEDGE01"), "MSGTRK", "Message Tracking Log", TRK_FIELDS, "15.02.1544.004")
    mbx_trk = Log(os.path.join(out, "EXMBX01"), "MSGTRK", "Message Tracking Log", TRK_FIELDS, "15.02.1544.004")
    recv = Log(os.path.join(out, "EXEDGE01"), "RECV", "SMTP Receive Protocol Log", PROTO_FIELDS, "15.0.0.0")
    send = Log(os.path.join(out, "EXEDGE01"), "SEND", "SMTP Send Protocol Log", PROTO_FIELDS, "15.0.0.0")
    logs = (edge_trk, mbx_trk, recv, send)
    limit = size_mb * 1024 * 1024
    t = 0.0
    sid = 0x08DE2D1A00000000
    n = 0
    deferred = []  # (due time, message) sent later
    while sum(lg.total for lg in logs) < limit and t < 28 * 86400:
        t += rnd.expovariate(1 / 0.8)  # about 100 000 messages a day
        n += 1
        sid += 1
        user = rnd.choice(USERS)
        host, ip = rnd.choice(PEERS)
        peer = f"{user.split('@')[0]}@{host.split('.', 1)[1]}"
        size = str(rnd.randint(2000, 200000))
        subject = rnd.choice(SUBJECTS)
        mid = f"<{n:08X}{rnd.getrandbits(32):08X}@{'EXMBX01.contoso.com' if rnd.random() < 0.45 else host}>"
        net = f"{rnd.getrandbits(32):08x}-{n & 0xffff:04x}-4a3b-8c2d-{sid & 0xffffffffffff:012x}"
        tls = rnd.choices(["12", "10", None], weights=[85, 5, 10])[0]
        s = f"{sid:016X}"
        when = stamp(t)
        if rnd.random() < 0.55:  # inbound through the Edge
            ep_peer = f"{ip}:{rnd.randint(1024, 65000)}"
            ev = [("+", "", ""), (">", "220 EXEDGE01.contoso.com Microsoft ESMTP MAIL Service ready", ""),
                  ("<", f"EHLO {host}", ""), (">", "250  EXEDGE01.contoso.com Hello [" + ip + "] SIZE 37748736 "
                                                 "PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME CHUNKING", "")]
            if tls:
                ev += [("<", "STARTTLS", ""), (">", "220 2.0.0 SMTP server ready", ""), ("*", "", "Sending certificate"),
                       ("*", "CN=mail.contoso.com", "Certificate subject"),
                       ("*", "", TLS_LINE.format(sep="_", v=tls[1], side="SERVER")), ("<", f"EHLO {host}", "")]
            ev += [("<", f"MAIL FROM:<{peer}> SIZE={size}", ""), ("<", f"RCPT TO:<{user}>", ""),
                   ("<", f"BDAT {size} LAST", ""),
                   (">", f"250 2.6.0 {mid} [InternalId={n}, Hostname=EXEDGE01.contoso.com] Queued mail for delivery",
                    ""), ("<", "QUIT", ""), (">", "221 2.0.0 Service closing transmission channel", ""),
                   ("-", "", "Local")]
            for k, (e, d, c) in enumerate(ev):
                recv.write(when, [when, RC_EDGE, s, str(k), EDGE_OUT + ":25", ep_peer, e, d, c])
            edge_trk.write(when, [when, ip, host, EDGE_OUT, "EXEDGE01", f"{s};{when};0", RC_EDGE, "SMTP", "RECEIVE",
                                  str(n), mid, net, user, "", size, "1", "", "", subject, peer, peer,
                                  "08I: NTS: None", "Incoming", "", ip, EDGE_OUT, "", "Email", "", "15.02.1544.004"])
            edge_trk.write(when, [when, EDGE_IN, "EXEDGE01", MBX_IP, "EXMBX01.contoso.com",
                                  f"{sid + 0x100000:016X};250 2.6.0 queued;ClientSubmitTime:{when}",
                                  "EdgeSync - Inbound to Default-First-Site-Name", "SMTP", "SEND", str(n), mid, net,
                                  user, "250 2.1.5 Recipient OK", size, "1", "", "", subject, peer, peer, "",
                                  "Incoming", "", "", "", "", "Email", "", "15.02.1544.004"])
            mbx_trk.write(when, [when, EDGE_IN, "EXEDGE01", MBX_IP, "EXMBX01", f"{sid + 0x100000:016X};{when};0",
                                 RC_MBX, "SMTP", "RECEIVE", str(n), mid, net, user, "", size, "1", "", "", subject,
                                 peer, peer, "", "Incoming", "", ip, MBX_IP, "", "Email", "", "15.02.1544.004"])
            mbx_trk.write(when, [when, MBX_IP, "EXMBX01", MBX_IP, "EXMBX01", "MDB:61914740-3f1b-4ddb-94e0-557196870cfa",
                                 "", "STOREDRIVER", "DELIVER", str(n), mid, net, user, "", size, "1", "", "",
                                 subject, peer, peer, "", "Incoming", "", "", "", "", "Email", "", "15.02.1544.004"])
            continue
        # outbound: submitted on the mailbox server, out through the Edge
        for ev_id, src in (("SUBMIT", "STOREDRIVER"), ("RECEIVE", "STOREDRIVER")):
            mbx_trk.write(when, [when, MBX_IP, "EXMBX01", "", "EXMBX01",
                                 "MDB:61914740-3f1b-4ddb-94e0-557196870cfa, Mailbox:e0f1, Event:126554, "
                                 "MessageClass:IPM.Note, ClientType:OWA", "", src, ev_id, str(n), mid, net, peer, "",
                                 size, "1", "", "", subject, user, user, "", "Originating", "", "", "", "", "Email",
                                 "", "15.02.1544.004"])
        mbx_trk.write(when, [when, MBX_IP, "EXMBX01", EDGE_IN, "EXEDGE01.contoso.com",
                             f"{sid + 0x200000:016X};250 2.6.0 queued;ClientSubmitTime:{when}",
                             "Intra-Organization SMTP Send Connector", "SMTP", "SEND", str(n), mid, net, peer,
                             "250 2.1.5 Recipient OK", size, "1", "", "", subject, user, user, "", "Originating", "",
                             "", "", "", "Email", "", "15.02.1544.004"])
        r = rnd.random()
        outcome = "DEFER" if r < 0.03 else "FAIL" if r < 0.04 else "SENDEXTERNAL"
        if outcome == "DEFER":
            edge_trk.write(when, [when, EDGE_OUT, "EXEDGE01", ip, host, f"{s};", SC_EDGE, "SMTP", "DEFER", str(n),
                                  mid, net, peer, "451 4.7.1 Greylisted", size, "1", "", "", subject, user, user, "",
                                  "Originating", "", "", "", "", "Email", "", "15.02.1544.004"])
            deferred.append((t + 900, s, mid, net, peer, size, subject, user, host, ip))
        else:
            event = "FAIL" if outcome == "FAIL" else "SENDEXTERNAL"
            status = "550 5.1.1 User unknown" if event == "FAIL" else "250 2.1.5 Ok"
            edge_trk.write(when, [when, EDGE_OUT, "EXEDGE01", ip, host, f"{s};250 2.0.0 Ok: queued;ClientSubmitTime:"
                                  f"{when}", SC_EDGE, "SMTP", event, str(n), mid, net, peer, status, size, "1", "", "",
                                  subject, user, user, "", "Originating", "", "", "", "", "Email", "",
                                  "15.02.1544.004"])
        ev = [("+", "", ""), ("<", f"220 {host} ESMTP Postfix", ""), (">", "EHLO mail.contoso.com", ""),
              ("<", f"250-{host} PIPELINING SIZE 10240000 STARTTLS ENHANCEDSTATUSCODES 8BITMIME DSN", "")]
        if tls:
            ev += [(">", "STARTTLS", ""), ("<", "220 2.0.0 Ready to start TLS", ""), ("*", "", "Sending certificate"),
                   ("*", "", TLS_LINE.format(sep="-", v=tls[1], side="CLIENT")), (">", "EHLO mail.contoso.com", "")]
        ev += [("*", "", f"sending message with RecordId {n} and InternetMessageId {mid}"),
               (">", f"MAIL FROM:<{user}> SIZE={size}", ""), (">", f"RCPT TO:<{peer}>", ""),
               ("<", "250 2.1.5 Ok", ""), (">", f"BDAT {size} LAST", ""), ("<", "250 2.0.0 Ok: queued", ""),
               (">", "QUIT", ""), ("<", "221 2.0.0 Bye", ""), ("-", "", "Local")]
        for k, (e, d, c) in enumerate(ev):
            send.write(when, [when, SC_EDGE, s, str(k), EDGE_OUT + ":51234", ip + ":25", e, d, c])
        while deferred and deferred[0][0] <= t:  # the retry of an earlier deferral goes through
            _, ds, dmid, dnet, dpeer, dsize, dsubj, duser, dhost, dip = deferred.pop(0)
            edge_trk.write(when, [when, EDGE_OUT, "EXEDGE01", dip, dhost, f"{ds};250 2.0.0 Ok: queued;"
                                  f"ClientSubmitTime:{when}", SC_EDGE, "SMTP", "SENDEXTERNAL", "0", dmid, dnet, dpeer,
                                  "250 2.1.5 Ok", dsize, "1", "", "", dsubj, duser, duser, "", "Originating", "", "",
                                  "", "", "Email", "", "15.02.1544.004"])
    for lg in logs:
        lg.close()
    print(f"{n} messages, {sum(lg.total for lg in logs) / 1048576:.1f} MiB in {out}")


if __name__ == "__main__":
    main()
