#!/usr/bin/env python3
"""Compares Get-MessageTrace output (ConvertTo-Csv) with a hand-written expected-records
file of tests/data/exchange/expected/ (canonical columns). Records are compared as a
multiset of every property, so order and extra records both count.

Usage: exchange_check.py EXPECTED.csv GOT.csv
"""
import csv
import sys
from collections import Counter


def norm(v):
    return v if v is not None else ""


def expected_key(r):
    return (r["received"], r["direction"], r["connector"], r["tls"], r["cipher"], r["sender"], r["recipient"],
            r["remote_host"], r["remote_ip"], r["size"], r["status"], r["message_id"])


def got_key(r):
    received = r["Received"].replace(" ", "T")
    if received and not received.endswith("Z"):
        received += "Z"
    return (received, r["Direction"], norm(r["Connector"]), r["TlsVersion"], norm(r["Cipher"]),
            r["SenderAddress"], r["RecipientAddress"], norm(r["RemoteHost"]), norm(r["RemoteIP"]), r["Size"],
            r["Status"], norm(r["MessageId"]))


def main():
    want = Counter(expected_key(r) for r in csv.DictReader(open(sys.argv[1], newline="")))
    got = Counter(got_key(r) for r in csv.DictReader(open(sys.argv[2], newline="")))
    if want == got:
        return 0
    for k in sorted(set(want) | set(got)):
        if want[k] != got[k]:
            print(f"  expected {want[k]} got {got[k]}: {','.join(k)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
