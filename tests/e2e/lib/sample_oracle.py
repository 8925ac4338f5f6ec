#!/usr/bin/env python3
"""An independent oracle for the report cmdlets over a canonical trace CSV.

It reads the CSV itself (never the mailflow store) and implements the
definitions of SPEC.md sections 4 and 5 and the README's Reports section:

- reports count only Status Delivered; Get-MessageTrace shows every record;
- days are UTC calendar days, both ends of a range inclusive; the default
  range is the 7 days ending on --now;
- Get-ConnectorReport: every direction+connector with delivered traffic in the
  range gets one row per day of the range (0 on quiet days), ordered by Date,
  Direction (Inbound first), Connector (none first, then by name ignoring case);
- Get-TlsUsage: per direction (and connector with --by-connector) the versions
  that occur, TLS1.3, TLS1.2, TLS1.1, TLS1.0, None, with Percent the share in
  hundredths rounded half away from zero, computed in integers;
- Get-MailFlowInsights: rules NoTls then Tls10, per direction then connector
  (traffic without a connector is not judged; groups below --min-messages are
  skipped), firing when the share is strictly above the threshold;
- Get-MessageTrace: newest first, filters, -PageSize/-Page.

usage:
  sample_oracle.py CSV --batch DIR    run the checks DIR/N.args (see main)
  sample_oracle.py CSV KIND [options]                 print the expected JSON
  sample_oracle.py CSV KIND [options] --check FILE    compare FILE (the output
        of `| ConvertTo-Json`, or of `| ConvertTo-Csv` with --csv-output) with
        it; exit 1 and say where they differ.
  KIND: connector-report | tls-usage | insights | message-trace | count
Standard library only.
"""
import argparse
import csv
import datetime as dt
import json
import os
import re
import sys
from decimal import Decimal

VERSIONS = ["TLS1.3", "TLS1.2", "TLS1.1", "TLS1.0", "None"]
DIRECTIONS = ["Inbound", "Outbound"]
TRACE_KEYS = ["Received", "Direction", "Connector", "TlsVersion", "TlsTrust", "Cipher",
              "SenderAddress", "RecipientAddress", "RemoteHost", "RemoteIP",
              "Size", "Status", "MessageId"]
INT_KEYS = {"Messages", "Size", "Count"}


class Hundredths(int):
    """A percentage held exactly as an integer number of hundredths."""

    def __repr__(self):
        return "%d.%02d" % divmod(int(self), 100)


def share(count, total):
    """count/total as a percentage in hundredths, half away from zero."""
    return Hundredths((count * 20000 + total) // (2 * total))


def load(path):
    traces = []
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = [k.strip().lower() for k in next(rows)]
        for fields in rows:
            r = dict(zip(header, (v.strip() for v in fields)))
            received = dt.datetime.fromisoformat(r["received"].replace("Z", "+00:00"))
            traces.append({
                "Received": r["received"],
                "Direction": r["direction"].capitalize(),
                "Connector": r["connector"] or None,
                "TlsVersion": r["tls"] or "None",
                # SPEC 4: optional key, values case-insensitive, nil when absent.
                "TlsTrust": r.get("tls_trust", "").capitalize() or None,
                "Cipher": r["cipher"] or None,
                "SenderAddress": r["sender"],
                "RecipientAddress": r["recipient"],
                "RemoteHost": r["remote_host"] or None,
                "RemoteIP": r["remote_ip"] or None,
                "Size": int(r["size"] or 0),
                "Status": r["status"] or "Delivered",
                "MessageId": r["message_id"] or None,
                "_day": received.date(),
                "_time": received,
            })
    return traces


def day(s):
    return dt.date.fromisoformat(s[:10])


def resolve_range(a):
    """The README's table: nothing, -EndDate, -StartDate, -Days [-EndDate],
    -StartDate -Days. Returns (first day, last day), both inclusive."""
    now = day(a.now)
    if a.start and a.days:
        start = day(a.start)
        return start, start + dt.timedelta(days=a.days - 1)
    if a.start:
        return day(a.start), day(a.end) if a.end else now
    end = day(a.end) if a.end else now
    return end - dt.timedelta(days=(a.days or 7) - 1), end


def days_of(first, last):
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


def connector_key(c):
    """No connector first, then by name ignoring case."""
    return (0, "") if c is None else (1, c.casefold())


def same_connector(a, b):
    return a is not None and b is not None and a.casefold() == b.casefold()


def in_scope(t, a, first, last, delivered_only=True):
    if delivered_only and t["Status"].casefold() != "delivered":
        return False
    if not first <= t["_day"] <= last:
        return False
    if a.direction and t["Direction"] != a.direction:
        return False
    if a.connector and not same_connector(t["Connector"], a.connector):
        return False
    if a.no_connector and t["Connector"] is not None:
        return False
    return True


def connector_report(traces, a):
    first, last = resolve_range(a)
    counts = {}
    for t in traces:
        if in_scope(t, a, first, last):
            key = (t["Direction"], t["Connector"])
            per_day = counts.setdefault(key, {})
            per_day[t["_day"]] = per_day.get(t["_day"], 0) + 1
    groups = sorted(counts, key=lambda k: (DIRECTIONS.index(k[0]), connector_key(k[1])))
    return [{"Date": d.isoformat(), "Direction": g[0], "Connector": g[1],
             "Messages": counts[g].get(d, 0)}
            for d in days_of(first, last) for g in groups]


def tls_groups(traces, a, by_connector):
    first, last = resolve_range(a)
    groups = {}
    for t in traces:
        if in_scope(t, a, first, last):
            key = (t["Direction"], t["Connector"] if by_connector else None)
            per_version = groups.setdefault(key, {})
            per_version[t["TlsVersion"]] = per_version.get(t["TlsVersion"], 0) + 1
    order = sorted(groups, key=lambda k: (DIRECTIONS.index(k[0]), connector_key(k[1])))
    return [(k, groups[k]) for k in order]


def tls_usage(traces, a):
    rows = []
    for (direction, connector), per_version in tls_groups(traces, a, a.by_connector):
        total = sum(per_version.values())
        for v in VERSIONS:
            if v in per_version:
                row = {"Direction": direction}
                if a.by_connector:
                    row["Connector"] = connector
                row.update({"TlsVersion": v, "Messages": per_version[v],
                            "Percent": share(per_version[v], total)})
                rows.append(row)
    return rows


def threshold_text(x):
    return ("%f" % x).rstrip("0").rstrip(".")


def insights(traces, a):
    rules = [("NoTls", "None", "No TLS is over %s%%", a.no_tls_threshold),
             ("Tls10", "TLS1.0", "TLS 1.0 is above %s%%", a.tls10_threshold)]
    wanted = [r.casefold() for r in a.rule.split(",")] if a.rule else None
    groups = [(k, v) for k, v in tls_groups(traces, a, True) if k[1] is not None]
    rows = []
    for name, version, title, threshold in rules:
        if wanted is not None and name.casefold() not in wanted:
            continue
        for (direction, connector), per_version in groups:
            total = sum(per_version.values())
            if total < a.min_messages:
                continue
            value = share(per_version.get(version, 0), total)
            # Strictly above: compare hundredths with the threshold exactly.
            if Decimal(int(value)) > Decimal(str(threshold)) * 100:
                rows.append({"Rule": name, "Title": title % threshold_text(threshold),
                             "Direction": direction, "Connector": connector,
                             "Value": value, "Threshold": threshold,
                             "Messages": total, "Recommendation": "*"})
    return rows


def wildcard(pattern):
    """A PowerShell wildcard (* ? [a-z], ` escapes) as a case-insensitive regex."""
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "`" and i + 1 < len(pattern):
            out += re.escape(pattern[i + 1])
            i += 2
            continue
        if c == "*":
            out += ".*"
        elif c == "?":
            out += "."
        elif c == "[":
            j = pattern.find("]", i)
            if j < 0:
                out += re.escape(c)
            else:
                out += "[" + pattern[i + 1:j].replace("\\", "\\\\") + "]"
                i = j
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + r"\Z", re.IGNORECASE | re.DOTALL)


def domain(address):
    return address.rpartition("@")[2].casefold()


def message_trace_all(traces, a):
    first, last = resolve_range(a)
    sender = wildcard(a.sender) if a.sender else None
    recipient = wildcard(a.recipient) if a.recipient else None
    out = []
    for t in traces:
        if not in_scope(t, a, first, last, delivered_only=False):
            continue
        if a.tls_version and t["TlsVersion"] != a.tls_version:
            continue
        if sender and not sender.match(t["SenderAddress"]):
            continue
        if recipient and not recipient.match(t["RecipientAddress"]):
            continue
        if a.sender_domain and domain(t["SenderAddress"]) != a.sender_domain.casefold():
            continue
        if a.recipient_domain and domain(t["RecipientAddress"]) != a.recipient_domain.casefold():
            continue
        if a.status and t["Status"].casefold() != a.status.casefold():
            continue
        out.append(t)
    # Newest first; records of the same second are in no promised order.
    out.sort(key=lambda t: t["_time"], reverse=True)
    return [{k: t[k] for k in TRACE_KEYS} for t in out]


def page(rows, a):
    return rows[(a.page - 1) * a.page_size:a.page * a.page_size]


# ---------------------------------------------------------------- comparing

def parse_actual(path, as_csv):
    with open(path, newline="", encoding="utf-8") as f:
        text = f.read()
    if not as_csv:
        return json.loads(text), None
    if not text:
        return [], None
    reader = csv.reader(text.splitlines(True))
    header = next(reader)
    return [dict(zip(header, row)) for row in reader], header


def same_value(key, want, got, as_csv):
    if want == "*" and key == "Recommendation":
        return isinstance(got, str) and got != ""
    if as_csv:
        if want is None:
            return got == ""
        if isinstance(want, (int, float)):
            try:
                return Decimal(got) == Decimal(repr(want))
            except ArithmeticError:
                return False
        return got == want
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return False
        if key in INT_KEYS and not isinstance(got, int):
            return False  # integers stay integers (README: ConvertTo-Json)
        return Decimal(repr(got)) == Decimal(repr(want))
    return got == want


def compare(expected, actual, header, as_csv, kind, a):
    problems = []
    keys = list(expected[0].keys()) if expected else None
    if as_csv and expected and header != keys:
        problems.append("CSV header %s, expected %s" % (header, keys))
    if len(actual) != len(expected):
        problems.append("%d rows, expected %d" % (len(actual), len(expected)))
    for i, (want, got) in enumerate(zip(expected, actual)):
        if not as_csv and list(got.keys()) != list(want.keys()):
            problems.append("row %d: properties %s, expected %s" % (i + 1, list(got), list(want)))
            continue
        bad = [k for k in want if not same_value(k, want[k], got.get(k), as_csv)]
        if bad:
            problems.append("row %d: %s; expected %s" % (
                i + 1, {k: got.get(k) for k in bad}, {k: want[k] for k in bad}))
        if kind == "insights" and got.get("Recommendation") and want["Connector"] not in got["Recommendation"]:
            problems.append("row %d: the recommendation does not name %r" % (i + 1, want["Connector"]))
    return problems


def compare_traces(all_rows, actual, header, as_csv, a):
    """Traces of the same second may come in any order: the Received column
    must match exactly, and each record must be one of the expected records
    with that Received (each used once)."""
    expected = page(all_rows, a)
    problems = []
    if as_csv and expected and header != TRACE_KEYS:
        problems.append("CSV header %s, expected %s" % (header, TRACE_KEYS))
    got_times = [r.get("Received") for r in actual]
    want_times = [r["Received"] for r in expected]
    if got_times != want_times:
        problems.append("Received column differs: %d rows (first %s), expected %d (first %s)" % (
            len(got_times), got_times[:3], len(want_times), want_times[:3]))
        return problems
    pool = {}
    for r in all_rows:
        pool.setdefault(r["Received"], []).append(r)
    for i, got in enumerate(actual):
        if not as_csv and list(got.keys()) != TRACE_KEYS:
            problems.append("row %d: properties %s" % (i + 1, list(got)))
            continue
        candidates = pool[got["Received"]]
        match = next((c for c in candidates
                      if all(same_value(k, c[k], got[k], as_csv) for k in TRACE_KEYS)), None)
        if match is None:
            problems.append("row %d: no such record: %s" % (i + 1, got))
        else:
            candidates.remove(match)
    return problems


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["connector-report", "tls-usage", "insights",
                                    "message-trace", "count"])
    p.add_argument("--now", default="2026-11-22")
    p.add_argument("--start")
    p.add_argument("--end")
    p.add_argument("--days", type=int)
    p.add_argument("--direction", choices=DIRECTIONS)
    p.add_argument("--connector")
    p.add_argument("--no-connector", action="store_true")
    p.add_argument("--by-connector", action="store_true")
    p.add_argument("--no-tls-threshold", type=Decimal, default=Decimal(25))
    p.add_argument("--tls10-threshold", type=Decimal, default=Decimal(50))
    p.add_argument("--min-messages", type=int, default=1)
    p.add_argument("--rule")
    p.add_argument("--tls-version", choices=VERSIONS)
    p.add_argument("--sender")
    p.add_argument("--recipient")
    p.add_argument("--sender-domain")
    p.add_argument("--recipient-domain")
    p.add_argument("--status")
    p.add_argument("--page-size", type=int, default=1000)
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--check", metavar="FILE")
    p.add_argument("--csv-output", dest="as_csv", action="store_true")
    p.add_argument("--allow-empty", action="store_true",
                   help="expecting no rows is intended (else it is refused, so "
                        "that a mistyped filter cannot make a check vacuous)")
    return p


def run(traces, argv, out):
    """One query: prints the expected rows, or with --check compares a file
    with them. Returns the problems found (a list of lines)."""
    a = parser().parse_args(argv)
    for name in ("no_tls_threshold", "tls10_threshold"):
        v = getattr(a, name)
        setattr(a, name, int(v) if v == v.to_integral_value() else float(v))

    if a.kind == "message-trace":
        all_rows = message_trace_all(traces, a)
        expected = page(all_rows, a)
    elif a.kind == "count":
        # How many records Get-MessageTrace finds before paging.
        print(len(message_trace_all(traces, a)), file=out)
        return []
    else:
        expected = {"connector-report": connector_report, "tls-usage": tls_usage,
                    "insights": insights}[a.kind](traces, a)

    if not a.check:
        printable = [{k: float(repr(v)) if isinstance(v, Hundredths) else v
                      for k, v in row.items()} for row in expected]
        json.dump(printable, out, indent=2)
        print(file=out)
        return []
    if not expected and not a.allow_empty:
        return ["the oracle expects no rows here; pass --allow-empty if that is meant"]
    actual, header = parse_actual(a.check, a.as_csv)
    if a.kind == "message-trace":
        return compare_traces(all_rows, actual, header, a.as_csv, a)
    return compare(expected, actual, header, a.as_csv, a.kind, a)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    traces = load(argv[0])
    if argv[1] != "--batch":
        problems = run(traces, argv[1:], sys.stdout)
        for line in problems[:10]:
            print("  " + line, file=sys.stderr)
        return 1 if problems else 0
    # --batch DIR: every DIR/N.args holds a description on its first line and
    # one oracle argument a line after it; checked in order of N, all against
    # one reading of the CSV. Prints "FAIL description" and the problems for
    # each that differs.
    failed = 0
    names = [f for f in os.listdir(argv[2]) if f.endswith(".args")]
    for name in sorted(names, key=lambda f: int(f.split(".")[0])):
        with open(os.path.join(argv[2], name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        description, args = lines[0], [x for x in lines[1:] if x != ""]
        problems = run(traces, args, sys.stdout)
        if problems:
            failed += 1
            print("FAIL %s\n  (oracle: %s)" % (description, " ".join(args)))
            for line in problems[:10]:
                print("  " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
