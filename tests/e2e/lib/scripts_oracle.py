#!/usr/bin/env python3
"""Independent oracle for the scripts in scripts/, computed from the canonical
CSV itself (standard library only), and checkers that compare a script's
output with it. Used by tests/e2e/lua_scripts.sh.

The rules it re-implements are the contract's (SPEC 4 and 5, README "Reports"):
only Delivered records count; days are the UTC date of `received`; a share is
the group's messages with two decimals rounded half away from zero, computed
in integers; NoTls fires when the None share is strictly above its threshold,
Tls10 when the TLS1.0 share is; traffic without a connector is not judged;
insights are ordered by rule (NoTls, Tls10), direction (Inbound first), then
connector name ignoring case.

  scripts_oracle.py SAMPLE clean-day
  scripts_oracle.py SAMPLE tls-audit OUT --start A --end B [--no-tls T] [--tls10 T]
  scripts_oracle.py SAMPLE compliance OUT.csv --month YYYY-MM [--direction D]
  scripts_oracle.py SAMPLE followup OUT --start A --end B [--all]
                   [--defined NAME=TYPE]... [--no-tls T] [--tls10 T]

Checkers print what differs and exit 1; tls-audit and followup print the
number of insights that fire on success.
"""
import argparse
import collections
import csv
import re
import sys
from decimal import Decimal

VERSIONS = ["TLS1.3", "TLS1.2", "TLS1.1", "TLS1.0", "None"]
DIRECTIONS = ["Inbound", "Outbound"]
RULES = [("NoTls", "No TLS is over {}%", "None"), ("Tls10", "TLS 1.0 is above {}%", "TLS1.0")]


def load(path):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if (r["status"] or "Delivered").lower() == "delivered"]


def in_range(rows, start, end):
    return [r for r in rows if start <= r["received"][:10] <= end]


def percent(part, whole):
    """Hundredths, rounded half away from zero in integers, as a Decimal."""
    if whole == 0:
        return Decimal(0)
    return Decimal((part * 20000 + whole) // (2 * whole)) / 100


def number_text(value):
    """A threshold as a Title shows it: '50' for 50.0, '64.06' for 64.06."""
    d = Decimal(str(value))
    return str(d.quantize(Decimal(1))) if d == d.to_integral() else str(d.normalize())


def counts_by(rows, key):
    out = collections.defaultdict(collections.Counter)
    for r in rows:
        out[key(r)][r["tls"]] += 1
    return out


def tls_summary(rows):
    """[(Direction, TlsVersion, Messages, Percent)] as Get-TlsUsage without -ByConnector."""
    groups = counts_by(rows, lambda r: r["direction"])
    out = []
    for d in DIRECTIONS:
        c = groups.get(d)
        if not c:
            continue
        total = sum(c.values())
        out += [(d, v, c[v], percent(c[v], total)) for v in VERSIONS if c[v]]
    return out


def insights(rows, no_tls=25, tls10=50):
    """[(Rule, Title, Direction, Connector, Value, Messages)] that fire."""
    groups = counts_by([r for r in rows if r["connector"]], lambda r: (r["direction"], r["connector"]))
    order = sorted(groups, key=lambda k: (DIRECTIONS.index(k[0]), k[1].lower()))
    out = []
    for name, title, version in RULES:
        threshold = no_tls if name == "NoTls" else tls10
        for d, conn in order:
            c = groups[(d, conn)]
            share = percent(c[version], sum(c.values()))
            if share > Decimal(str(threshold)):
                out.append((name, title.format(number_text(threshold)), d, conn, share, sum(c.values())))
    return out


def fail(problems):
    for p in problems:
        print(p, file=sys.stderr)
    sys.exit(1)


def expect_equal(what, got, want, problems):
    if got == want:
        return
    if isinstance(got, list) and isinstance(want, list):
        first = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), min(len(got), len(want)))
        problems.append(f"{what}: {len(got)} from the script, {len(want)} from the oracle; first difference "
                        f"at {first}:\n  script: {got[first] if first < len(got) else None!r}\n"
                        f"  oracle: {want[first] if first < len(want) else None!r}")
    else:
        problems.append(f"{what}:\n  script: {got!r}\n  oracle: {want!r}")


# --- clean-day -----------------------------------------------------------

def clean_day(rows):
    """The first day with connector traffic on which no insight fires."""
    for day in sorted({r["received"][:10] for r in rows}):
        today = in_range(rows, day, day)
        if any(r["connector"] for r in today) and not insights(today):
            return day
    return None


# --- tls-audit -------------------------------------------------------------

def parse_list_blocks(lines):
    """Format-List output: blocks of 'Key : Value' separated by blank lines."""
    blocks, block = [], {}
    for line in lines:
        m = re.match(r"^(\w+)\s+: (.*)$", line)
        if m:
            block[m.group(1)] = m.group(2)
        elif not line.strip() and block:
            blocks.append(block)
            block = {}
    if block:
        blocks.append(block)
    return blocks


def check_tls_audit(rows, out_path, a):
    lines = open(out_path).read().splitlines()
    problems = []
    first = in_range(rows, a.start, a.end)
    m = re.match(r"^TLS audit (\S+) to (\S+) \((\d+) days\)$", lines[0] if lines else "")
    expect_equal("header range", m and (m.group(1), m.group(2)), (a.start, a.end), problems)

    # The summary table, between its title and the insights line.
    start = lines.index("Message protected in transit (by TLS)") + 1
    end = next(i for i, l in enumerate(lines) if l.startswith("Insights:"))
    table = [l.split() for l in lines[start:end] if l.strip() and not l.startswith("---")]
    want = tls_summary(first)
    if not want:
        expect_equal("summary", table, [["no", "delivered", "messages", "in", "the", "range"]], problems)
    else:
        expect_equal("summary header", table[0], ["Direction", "TlsVersion", "Messages", "Percent"], problems)
        got = [(t[0], t[1], int(t[2]), Decimal(t[3])) for t in table[1:]]
        expect_equal("summary rows", got, want, problems)

    fired = insights(first, a.no_tls, a.tls10)
    blocks = parse_list_blocks(lines[end + 1:])
    got = [(b.get("Rule"), b.get("Title"), b.get("Direction"), b.get("Connector"),
            Decimal(b.get("Value", "nan")), int(b.get("Messages", -1))) for b in blocks]
    expect_equal("insights", got, fired, problems)
    expect_equal("insights line", lines[end],
                 f"Insights: {len(fired)} fired" if fired else "Insights: none fired", problems)
    if problems:
        fail(problems)
    print(len(fired))


# --- compliance ------------------------------------------------------------

def check_compliance(rows, out_path, a):
    month_rows = [r for r in rows if r["received"][:7] == a.month]
    if a.direction:
        month_rows = [r for r in month_rows if r["direction"] == a.direction]
    groups = counts_by(month_rows, lambda r: (r["direction"], r["connector"]))
    # Direction (Inbound first), then no connector first, then by name ignoring case.
    order = sorted(groups, key=lambda k: (DIRECTIONS.index(k[0]), k[1] != "", k[1].lower()))
    want = []
    for d, conn in order:
        c = groups[(d, conn)]
        total = sum(c.values())
        want += [(a.month, d, conn, v, c[v], percent(c[v], total)) for v in VERSIONS if c[v]]

    with open(out_path, newline="") as f:
        text = f.read()
    lines = text.splitlines()
    problems = []
    expect_equal("CSV header", lines[0] if lines else None,
                 "Month,Direction,Connector,TlsVersion,Messages,Percent", problems)
    got = [(r[0], r[1], r[2], r[3], int(r[4]), Decimal(r[5])) for r in csv.reader(lines[1:])]
    expect_equal("CSV rows", got, want, problems)
    if problems:
        fail(problems)
    print(len(want))


# --- followup --------------------------------------------------------------

def check_followup(rows, out_path, a):
    first = in_range(rows, a.start, a.end)
    defined = dict(d.split("=", 1) for d in a.defined)
    fired = insights(first, a.no_tls, a.tls10)
    # Grouped by connector and direction in order of first appearance.
    want, index = [], {}
    for rule, title, d, conn, share, messages in fired:
        kind = defined.get(conn)
        if not a.all and kind != "Partner":
            continue
        if (d, conn) not in index:
            hosts = collections.Counter()
            ips = collections.defaultdict(set)
            for r in first:
                if r["direction"] == d and r["connector"] == conn:
                    host = r["remote_host"] or "(unknown)"
                    hosts[(host, r["tls"])] += 1
                    ips[host].add(r["remote_ip"])
            table = sorted(hosts.items(), key=lambda kv: (-kv[1], kv[0][0].lower(), VERSIONS.index(kv[0][1])))
            index[(d, conn)] = len(want)
            want.append({"connector": conn, "direction": d, "kind": kind or "not defined",
                         "insights": [], "hosts": [(h, t, n) for (h, t), n in table], "ips": ips})
        want[index[(d, conn)]]["insights"].append((title, share, messages))

    lines = open(out_path).read().splitlines()
    got, problems, i = [], [], 0
    while i < len(lines):
        m = re.match(r"^== (.*) \((Inbound|Outbound), ([^)]*)\): (.*)$", lines[i])
        if not m:
            i += 1
            continue
        if not got or (got[-1]["connector"], got[-1]["direction"]) != (m.group(1), m.group(2)) or got[-1]["hosts"]:
            got.append({"connector": m.group(1), "direction": m.group(2), "kind": m.group(3),
                        "insights": [], "hosts": [], "recommendations": []})
        g = got[-1]
        mm = re.match(r"^   measured ([\d.]+)% over (\d+) messages, (\S+) to (\S+)$", lines[i + 1])
        if not mm or (mm.group(3), mm.group(4)) != (a.start, a.end):
            problems.append(f"bad 'measured' line: {lines[i + 1]!r}")
            break
        g["insights"].append((m.group(4), Decimal(mm.group(1)), int(mm.group(2))))
        g["recommendations"].append(lines[i + 2].strip())
        i += 3
        if i < len(lines) and lines[i].split()[:4] == ["RemoteHost", "RemoteIP", "TlsVersion", "Messages"]:
            i += 2  # header and dashes
            while i < len(lines) and lines[i].strip():
                host, ip, tls, n = lines[i].split()
                g["hosts"].append((host, tls, int(n)))
                g.setdefault("seen_ips", []).append((host, ip))
                i += 1

    expect_equal("connectors followed", [(g["connector"], g["direction"], g["kind"]) for g in got],
                 [(w["connector"], w["direction"], w["kind"]) for w in want], problems)
    for g, w in zip(got, want):
        name = f"{w['connector']} ({w['direction']})"
        expect_equal(name + " insights", g["insights"], w["insights"], problems)
        expect_equal(name + " hosts", g["hosts"], w["hosts"], problems)
        for host, ip in g.get("seen_ips", []):
            if ip not in w["ips"][host]:
                problems.append(f"{name}: {host} shown with {ip}, seen with {sorted(w['ips'][host])}")
        for rec in g["recommendations"]:
            if w["kind"] == "Partner" and "Contact the partner that owns this connector" not in rec:
                problems.append(f"{name}: not a partner recommendation: {rec!r}")
        if sum(n for _, _, n in g["hosts"]) != g["insights"][0][2]:
            problems.append(f"{name}: the hosts add up to {sum(n for _, _, n in g['hosts'])} messages, "
                            f"the insight counts {g['insights'][0][2]}")
    if not want:
        scope = "" if a.all else "partner "
        expect_equal("nothing to follow up", lines,
                     [f"partner-followup: no {scope}connector has an insight from {a.start} to {a.end}"], problems)
    if problems:
        fail(problems)
    print(sum(len(w["insights"]) for w in want))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("sample")
    p.add_argument("command", choices=["clean-day", "tls-audit", "compliance", "followup"])
    p.add_argument("out", nargs="?")
    p.add_argument("--start")
    p.add_argument("--end")
    p.add_argument("--month")
    p.add_argument("--direction")
    p.add_argument("--all", action="store_true")
    p.add_argument("--defined", action="append", default=[], help="NAME=TYPE of a defined connector")
    p.add_argument("--no-tls", type=float, default=25)
    p.add_argument("--tls10", type=float, default=50)
    a = p.parse_args()
    rows = load(a.sample)
    if a.command == "clean-day":
        day = clean_day(rows)
        if not day:
            fail(["the sample has no day without an insight"])
        print(day)
    elif a.command == "tls-audit":
        check_tls_audit(rows, a.out, a)
    elif a.command == "compliance":
        check_compliance(rows, a.out, a)
    else:
        check_followup(rows, a.out, a)


if __name__ == "__main__":
    main()
