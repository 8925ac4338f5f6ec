#!/usr/bin/env python3
"""Derives the fixtures that no program here can write from the real capture.

journald cannot run on the capture machine, so the journalctl outputs are
made from the rsyslog capture of the same run, by the formats systemd 252
(Debian 12's journalctl, src/shared/logs-show.c) writes:

  short              "%b %d %H:%M:%S HOST IDENTIFIER[PID]: MESSAGE"
  short-precise      the same with ".%06u" after the seconds
  short-iso          "%Y-%m-%dT%H:%M:%S%z" (systemd 255 and later write
                     the zone as +00:00; 252 writes +0000)
  short-iso-precise  the same with ".%06u" before the zone
  short-full         "%a %Y-%m-%d %H:%M:%S %Z" (format_timestamp)
  json               one object per line, every value a string
  export             KEY=value lines, an empty line after each entry

Each entry's time, host, identifier, pid and message come from
syslog-precise.log (RSYSLOG_FileFormat), its priority and facility from the
same line of syslog-rfc5424.log (both written by one rsyslog from one stream
of messages, line for line). Only Postfix's lines are kept, as
`journalctl -u postfix@-.service` shows them; the machine ran in UTC, so
journalctl's local time is UTC. The boot id, machine id and boot time are
fixed values (a journal always has them; these are made up, and say so).

It also makes the rotation set: syslog-traditional.log cut in three where
queue ids are open across each cut, as logrotate leaves it with
`compress` and `delaycompress`: rotation/mail.log.2.gz, mail.log.1, mail.log.

Usage: derive.py DIR   (DIR holds the capture; writes DIR/journal/ and DIR/rotation/)
"""
import datetime
import gzip
import json
import os
import re
import sys

BOOT_ID = "3c2f1a9e6b7d4e0f8a5c9b1d2e3f4a5b"
MACHINE_ID = "9e1b7c3d5f2a4e6c8b0d1f3a5c7e9b2d"
SEQNUM_ID = "5b8e2d4f6a1c3e5b7d9f0a2c4e6b8d1f"
BOOT_TIME_USEC = 1796105512384012  # 2026-12-01T06:11:52.384012Z

PRECISE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})\+00:00 (\S+) ([^\[: ]+)(?:\[(\d+)\])?: (.*)$")
RFC5424 = re.compile(r"^<(\d+)>1 (\S+) ")


def entries(capture_dir):
    precise = open(os.path.join(capture_dir, "syslog-precise.log"), encoding="utf-8").read().splitlines()
    rfc5424 = open(os.path.join(capture_dir, "syslog-rfc5424.log"), encoding="utf-8").read().splitlines()
    if len(precise) != len(rfc5424):
        sys.exit("derive: syslog-precise.log and syslog-rfc5424.log differ in length")
    for a, b in zip(precise, rfc5424):
        m, n = PRECISE.match(a), RFC5424.match(b)
        if not m or not n:
            sys.exit(f"derive: unexpected line: {a!r} / {b!r}")
        stamp, micros, host, ident, pid, message = m.groups()
        if n.group(2) != f"{stamp}.{micros}+00:00":
            sys.exit(f"derive: the two captures are not line for line: {a!r} / {b!r}")
        if not ident.startswith("postfix"):
            continue  # dovecot and others: not in postfix@-.service
        t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        realtime = int(t.timestamp()) * 1000000 + int(micros)
        pri = int(n.group(1))
        yield {"t": t, "usec": realtime, "host": host, "ident": ident, "pid": pid,
               "message": message, "priority": pri % 8, "facility": pri // 8}


def fields(e, seqnum):
    mono = e["usec"] - BOOT_TIME_USEC
    cursor = (f"s={SEQNUM_ID};i={seqnum:x};b={BOOT_ID};m={mono:x};t={e['usec']:x};"
              f"x={(e['usec'] * 2654435761 + seqnum) & 0xffffffffffffffff:016x}")
    daemon = e["ident"].rsplit("/", 1)[-1]
    head = [("__CURSOR", cursor), ("__REALTIME_TIMESTAMP", str(e["usec"])),
            ("__MONOTONIC_TIMESTAMP", str(mono)), ("_BOOT_ID", BOOT_ID)]
    data = [("_TRANSPORT", "syslog"), ("PRIORITY", str(e["priority"])),
            ("SYSLOG_FACILITY", str(e["facility"])), ("SYSLOG_IDENTIFIER", e["ident"])]
    if e["pid"]:
        data.append(("SYSLOG_PID", e["pid"]))
    data += [("MESSAGE", e["message"])]
    if e["pid"]:
        data.append(("_PID", e["pid"]))
    data += [("_COMM", daemon[:15]), ("_SYSTEMD_UNIT", "postfix@-.service"),
             ("_MACHINE_ID", MACHINE_ID), ("_HOSTNAME", e["host"])]
    return head, data


def short_line(e, stamp):
    pid = f"[{e['pid']}]" if e["pid"] else ""
    return f"{stamp} {e['host']} {e['ident']}{pid}: {e['message']}\n"


def main():
    capture_dir = sys.argv[1]
    out = os.path.join(capture_dir, "journal")
    os.makedirs(out, exist_ok=True)
    es = list(entries(capture_dir))
    files = {name: open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") for name in
             ("short.log", "short-precise.log", "short-iso.log", "short-iso-precise.log", "short-full.log",
              "json.log", "export.log")}
    for i, e in enumerate(es, start=1):
        t, us = e["t"], e["usec"] % 1000000
        files["short.log"].write(short_line(e, t.strftime("%b %d %H:%M:%S")))
        files["short-precise.log"].write(short_line(e, t.strftime("%b %d %H:%M:%S") + f".{us:06d}"))
        files["short-iso.log"].write(short_line(e, t.strftime("%Y-%m-%dT%H:%M:%S") + "+0000"))
        files["short-iso-precise.log"].write(short_line(e, t.strftime("%Y-%m-%dT%H:%M:%S") + f".{us:06d}+0000"))
        files["short-full.log"].write(short_line(e, t.strftime("%a %Y-%m-%d %H:%M:%S") + " UTC"))
        head, data = fields(e, i)
        files["json.log"].write(json.dumps(dict(head + data), ensure_ascii=False, separators=(",", ":")) + "\n")
        files["export.log"].write("".join(f"{k}={v}\n" for k, v in head + data) + "\n")
    for f in files.values():
        f.close()

    # The rotation set: cut where the most queue ids are open across the cut.
    lines = open(os.path.join(capture_dir, "syslog-traditional.log"), encoding="utf-8").read().splitlines(True)
    qid = re.compile(r"\]: ([0-9A-F]{6,}): ")
    first, last = {}, {}
    for n, line in enumerate(lines):
        m = qid.search(line)
        if m:
            first.setdefault(m.group(1), n)
            last[m.group(1)] = n

    def best_cut(lo, hi):
        return max(range(lo, hi), key=lambda c: (sum(1 for q in first if first[q] < c <= last[q]), -c))

    third = len(lines) // 3
    a = best_cut(third - 40, third + 40)
    b = best_cut(2 * third - 40, 2 * third + 40)
    rot = os.path.join(capture_dir, "rotation")
    os.makedirs(rot, exist_ok=True)
    with open(os.path.join(rot, "mail.log.2.gz"), "wb") as raw:
        with gzip.GzipFile(filename="mail.log.2", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write("".join(lines[:a]).encode("utf-8"))
    with open(os.path.join(rot, "mail.log.1"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(lines[a:b]))
    with open(os.path.join(rot, "mail.log"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(lines[b:]))
    spanning = sorted(q for q in first if first[q] < a <= last[q] or first[q] < b <= last[q])
    print(f"derive: {len(es)} journal entries; rotation cut at lines {a} and {b}, "
          f"{len(spanning)} queue ids span a cut")


if __name__ == "__main__":
    main()
