#!/usr/bin/env python3
"""Works out, without mailflow, what the admin one-liners of
tests/e2e/admin_one_liners.sh print over examples/sample-traces.csv, and
checks the expected files under tests/e2e/expected/one_liners/ against it.

Each case below repeats its pipeline in a comment and does the same steps in
plain Python over the oracle's records (sample_oracle.py: SPEC definitions),
then prints them the way the README says the formatters do:
- table: a header, dashes as long as each header, cells padded to the column
  width with one space between columns, numbers (and, as in PowerShell, the
  header and dashes of a number column) right-aligned, nil shown as (none),
  no trailing blanks;
- list: `Name : Value` with the colons aligned, blocks separated by an empty line;
- JSON: one array, two-space indent; CSV: a header row, RFC 4180 quoting only
  where needed.
Numbers print as PowerShell does: integers as they are, other numbers with up
to 15 significant digits in tables and lists, their shortest exact form in JSON
and CSV.

usage: one_liners_oracle.py SAMPLE.csv EXPECTED_DIR [--write]
  checks every expected file that has a case here (exit 1 on a difference);
  --write (re)creates them instead. Standard library only.
"""
import csv
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sample_oracle as so  # noqa: E402


def query(traces, *argv):
    """The records of one report cmdlet, as the oracle computes them."""
    a = so.parser().parse_args(list(argv))
    for name in ("no_tls_threshold", "tls10_threshold"):
        v = getattr(a, name)
        setattr(a, name, int(v) if v == v.to_integral_value() else float(v))
    if a.kind == "message-trace":
        return so.page(so.message_trace_all(traces, a), a)
    rows = {"connector-report": so.connector_report, "tls-usage": so.tls_usage,
            "insights": so.insights}[a.kind](traces, a)
    # Percent and Value are exact hundredths: as numbers from here on.
    return [{k: float(repr(v)) if isinstance(v, so.Hundredths) else v
             for k, v in r.items()} for r in rows]


def select(rows, *names):
    return [{n: r.get(n) for n in names} for r in rows]


def sort(rows, *keys, descending=False):
    """Sort-Object: stable (also descending: sorted(reverse=True) keeps equal
    records in input order), several keys, strings ignoring case, nil lowest."""
    def key(r):
        return tuple((0, "") if r[k] is None else
                     (1, r[k].casefold() if isinstance(r[k], str) else r[k]) for k in keys)
    return sorted(rows, key=key, reverse=descending)


def group(rows, prop):
    """Group-Object -NoElement: Count, Name per distinct value (ignoring
    case), sorted by value; nil groups as the empty name."""
    groups = {}
    for r in rows:
        v = r[prop]
        k = "" if v is None else v.casefold()
        if k not in groups:
            groups[k] = {"Count": 0, "Name": "" if v is None else v}
        groups[k]["Count"] += 1
    return [groups[k] for k in sorted(groups)]


def measure(rows, prop, *stats):
    values = [r[prop] for r in rows]
    out = {"Count": len(values), "Average": None, "Sum": None, "Maximum": None,
           "Minimum": None, "Property": prop}
    if "Average" in stats:
        out["Average"] = sum(values) / len(values)
    if "Sum" in stats:
        out["Sum"] = sum(values)
    if "Maximum" in stats:
        out["Maximum"] = max(values)
    if "Minimum" in stats:
        out["Minimum"] = min(values)
    return [out]


def cell(v):
    if v is None:
        return "(none)"
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float):
        return "%.15g" % v
    return str(v)


def table(rows, names=None):
    names = names or list(rows[0])
    cells = [[cell(r.get(n)) for n in names] for r in rows]
    numeric = [all(isinstance(r.get(n), (int, float)) and not isinstance(r.get(n), bool)
                   for r in rows if r.get(n) is not None) and
               any(r.get(n) is not None for r in rows) for n in names]
    widths = [max([len(n)] + [len(c[i]) for c in cells]) for i, n in enumerate(names)]
    def align(text, w, num):
        return text.rjust(w) if num else text.ljust(w)
    lines = [" ".join(align(n, w, num) for n, w, num in zip(names, widths, numeric)).rstrip(),
             " ".join(align("-" * len(n), w, num)
                      for n, w, num in zip(names, widths, numeric)).rstrip()]
    for c in cells:
        lines.append(" ".join(v.rjust(w) if num else v.ljust(w)
                              for v, w, num in zip(c, widths, numeric)).rstrip())
    return "\n".join(lines) + "\n"


def format_list(rows):
    blocks = []
    for r in rows:
        width = max(len(k) for k in r)
        blocks.append("\n".join("%s : %s" % (k.ljust(width), cell(v)) for k, v in r.items()))
    return "\n\n".join(blocks) + "\n"


def to_json(rows):
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def to_csv(rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(list(rows[0]))
    for r in rows:
        w.writerow(["" if v is None else repr(v) if isinstance(v, float) else v
                    for v in r.values()])
    return out.getvalue()


def lines(values):
    return "".join("%s\n" % cell(v) for v in values)


def unique(values):
    seen, out = set(), []
    for v in values:
        if v not in seen:  # -Unique is case-sensitive, as in PowerShell
            seen.add(v)
            out.append(v)
    return out


def cases(t):
    """name -> expected text. `t` is the oracle's list of trace records."""
    every = lambda: query(t, "message-trace", "--days", "30", "--page-size", "5000")  # noqa: E731
    c = {}

    # Get-TlsUsage -ByConnector | Where-Object { $_.TlsVersion -eq 'TLS1.0' -and
    #   $_.Percent -gt 50 } | Sort-Object Percent -Descending | Format-Table
    rows = [r for r in query(t, "tls-usage", "--by-connector")
            if r["TlsVersion"] == "TLS1.0" and r["Percent"] > 50]
    c["tls10_over_50"] = table(sort(rows, "Percent", descending=True))

    # Get-MessageTrace -Days 30 | Group-Object Connector | Select-Object Name,Count
    #   | ConvertTo-Json   -- only the first page: -PageSize defaults to 1000.
    rows = group(query(t, "message-trace", "--days", "30"), "Connector")
    c["group_by_connector"] = to_json(select(rows, "Name", "Count"))

    # Get-TlsUsage -Days 30 | ? TlsVersion -in 'TLS1.0','TLS1.1','None'
    #   | sort Direction,Messages -Descending | ft
    rows = [r for r in query(t, "tls-usage", "--days", "30")
            if r["TlsVersion"] in ("TLS1.0", "TLS1.1", "None")]
    c["weak_tls_sorted"] = table(sort(rows, "Direction", "Messages", descending=True))

    # Get-MessageTrace -Days 30 -PageSize 5000 | Where-Object SenderAddress -like
    #   '*@fabrikam.com' | Measure-Object Size -Sum -Average
    rows = [r for r in every() if r["SenderAddress"].casefold().endswith("@fabrikam.com")]
    c["fabrikam_size"] = table(measure(rows, "Size", "Sum", "Average"))

    # Get-MessageTrace -Days 30 -PageSize 5000 | ? { $_.Direction -eq 'Inbound'
    #   -and $_.TlsVersion -eq 'TLS1.0' -and $_.RemoteHost -match '^SMTP\.' }
    #   | select -ExpandProperty RemoteHost -Unique | sort
    rows = [r for r in every() if r["Direction"] == "Inbound" and r["TlsVersion"] == "TLS1.0"
            and r["RemoteHost"] and re.search(r"^SMTP\.", r["RemoteHost"], re.I)]
    c["tls10_hosts"] = lines(sorted(unique([r["RemoteHost"] for r in rows]), key=str.casefold))

    # Get-MessageTrace -Status Failed -Days 30 | Select-Object -First 3
    #   Received,SenderAddress,RecipientAddress,Status | Format-List
    rows = query(t, "message-trace", "--days", "30", "--status", "Failed")[:3]
    c["failed_list"] = format_list(select(rows, "Received", "SenderAddress",
                                          "RecipientAddress", "Status"))

    # Get-ConnectorReport -Days 30 | ? Connector -eq 'Legacy App Relay'
    #   | measure Messages -Sum -Average -Maximum -Minimum
    rows = [r for r in query(t, "connector-report", "--days", "30")
            if r["Connector"] == "Legacy App Relay"]
    c["legacy_measure"] = table(measure(rows, "Messages", "Sum", "Average", "Maximum", "Minimum"))

    # Get-TlsUsage -ByConnector -Days 30 | ? Connector -like 'contoso*'
    #   | Select-Object Connector,TlsVersion,Percent | ConvertTo-Csv
    rows = [r for r in query(t, "tls-usage", "--by-connector", "--days", "30")
            if r["Connector"] and r["Connector"].casefold().startswith("contoso")]
    c["contoso_csv"] = to_csv(select(rows, "Connector", "TlsVersion", "Percent"))

    # Get-ConnectorReport -Days 30 | ? Messages -eq 0 | sort Date -Descending
    #   | select Date,Direction,Connector
    rows = [r for r in query(t, "connector-report", "--days", "30") if r["Messages"] == 0]
    c["quiet_days"] = table(select(sort(rows, "Date", descending=True),
                                   "Date", "Direction", "Connector"))

    # Get-MessageTrace -Days 30 -PageSize 5000 | ? { $_.TlsVersion -eq 'None'
    #   -and $_.Direction -eq 'Inbound' } | group RemoteHost -NoElement
    #   | sort Count -Descending | select -First 5
    rows = [r for r in every() if r["TlsVersion"] == "None" and r["Direction"] == "Inbound"]
    c["plaintext_hosts"] = table(sort(group(rows, "RemoteHost"), "Count", descending=True)[:5])

    # Get-MessageTrace -Days 30 -PageSize 5000 | ? Status -notmatch '^deliv'
    #   | group Status -NoElement
    rows = [r for r in every() if not r["Status"].casefold().startswith("deliv")]
    c["not_delivered"] = table(group(rows, "Status"))

    # Get-MailFlowInsights -Days 30 -NoTlsThreshold 4 | Sort-Object Rule,Value
    #   -Descending | Format-Table Rule,Connector,Direction,Value,Messages
    rows = query(t, "insights", "--days", "30", "--no-tls-threshold", "4")
    c["insights_table"] = table(sort(rows, "Rule", "Value", descending=True),
                                ["Rule", "Connector", "Direction", "Value", "Messages"])

    # Get-MailFlowInsights -Days 30 | Select-Object Rule,Connector,Value,Threshold,
    #   Messages | Export-Csv -Path F   (the file's content)
    rows = query(t, "insights", "--days", "30")
    c["insights_export"] = to_csv(select(rows, "Rule", "Connector", "Value", "Threshold", "Messages"))
    # ... and after `Get-MailFlowInsights | Select-Object Rule,Connector,Value
    #   | Export-Csv -Path F -Force` (the default week)
    c["insights_export_forced"] = to_csv(select(query(t, "insights"), "Rule", "Connector", "Value"))

    # $x = Get-TlsUsage -ByConnector -Days 30; $x | ? TlsVersion -eq None
    #   | sort Percent -Descending | select Direction,Connector,Messages,Percent
    rows = [r for r in query(t, "tls-usage", "--by-connector", "--days", "30")
            if r["TlsVersion"] == "None"]
    c["variable_plaintext"] = table(select(sort(rows, "Percent", descending=True),
                                           "Direction", "Connector", "Messages", "Percent"))

    # Get-ConnectorReport -Days 30 -NoConnector | measure Messages -Sum
    #   | Select-Object -ExpandProperty Sum
    rows = query(t, "connector-report", "--days", "30", "--no-connector")
    c["no_connector_sum"] = lines([sum(r["Messages"] for r in rows)])

    # Get-MessageTrace -SenderDomain fabrikam.com -PageSize 5000 -Days 30
    #   | Sort-Object Size -Descending | Select-Object -First 3 -Property
    #   Received,SenderAddress,Size | ConvertTo-Json
    rows = query(t, "message-trace", "--days", "30", "--page-size", "5000",
                 "--sender-domain", "fabrikam.com")
    c["largest_fabrikam"] = to_json(select(sort(rows, "Size", descending=True)[:3],
                                           "Received", "SenderAddress", "Size"))

    # Get-MessageTrace -Days 30 | Where-Object TlsVersion -eq 'TLS1.0'
    #   | Measure-Object | Select-Object Count
    # (and the same with -like): Where-Object filters what Get-MessageTrace
    # emits, the first page of 1000 records, whether or not it is pushed down.
    rows = [r for r in query(t, "message-trace", "--days", "30") if r["TlsVersion"] == "TLS1.0"]
    c["tls10_first_page"] = table([{"Count": len(rows)}])

    # Get-TlsUsage -Days 30 | Select-Object @{n='Traffic'; e={ $_.Direction + ' ' +
    #   $_.TlsVersion }}, Messages, @{n='PerWeek'; e={ ($_.Messages - $_.Messages % 30) / 30 * 7 }}
    rows = [{"Traffic": r["Direction"] + " " + r["TlsVersion"], "Messages": r["Messages"],
             "PerWeek": (r["Messages"] - r["Messages"] % 30) // 30 * 7}
            for r in query(t, "tls-usage", "--days", "30")]
    c["calculated_per_week"] = table(rows)

    # Get-ConnectorReport -Connector 'Fabrikam Partner Inbound' | Select-Object -Last 2
    rows = query(t, "connector-report", "--connector", "Fabrikam Partner Inbound")
    c["last_two_days"] = table(rows[-2:])
    return c


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    expected_dir, write = sys.argv[2], "--write" in sys.argv[3:]
    failed = 0
    for name, text in cases(so.load(sys.argv[1])).items():
        path = os.path.join(expected_dir, name + ".txt")
        if write:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            continue
        try:
            with open(path, encoding="utf-8", newline="") as f:
                have = f.read()
        except FileNotFoundError:
            have = None
        if have != text:
            failed += 1
            print("one_liners_oracle: %s.txt is not what the oracle works out:\n%s" % (name, text),
                  file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
