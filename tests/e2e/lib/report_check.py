#!/usr/bin/env python3
"""Checks an Export-MailFlowReport page against the report cmdlets' own output
(ConvertTo-Json of Get-TlsUsage, Get-TlsUsage -ByConnector,
Get-ConnectorReport and Get-MailFlowInsights over the same range): every
number drawn (data-* attributes and <title> of each SVG mark) and every table
cell must be the cmdlets' number. Also checks that the page makes no
external request. Standard library only.

usage: report_check.py REPORT.html TLS.json TLS_BY_CONNECTOR.json FLOW.json INSIGHTS.json"""
import json
import re
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rects = []        # (chart id, attrs, title text)
        self.tables = {}       # id -> rows of cell texts
        self.tags = []         # (tag, attrs) of every element
        self.styles = []
        self._chart = None
        self._rect = None
        self._table = None
        self._row = None
        self._cell = None
        self._in_style = False
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "svg" and "data-chart" in a:
            self._chart = a["data-chart"]
        elif tag == "rect" and self._chart:
            self._rect = [self._chart, a, ""]
        elif tag == "title" and self._rect:
            self._in_title = True
        elif tag == "table":
            self._table = a.get("id")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart = None
        elif tag == "rect" and self._rect:
            self.rects.append(tuple(self._rect))
            self._rect = None
        elif tag == "title":
            self._in_title = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "style":
            self._in_style = False

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data):
        if self._in_title and self._rect:
            self._rect[2] += data
        if self._cell is not None:
            self._cell += data
        if self._in_style:
            self.styles.append(data)


failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def label(connector):
    return "(none)" if connector is None else connector


def pct(v):
    return f"{v:.2f}"


def main(html_path, tls_path, tls_conn_path, flow_path, insights_path):
    page = Page()
    page.feed(open(html_path, encoding="utf-8").read())
    tls = json.load(open(tls_path))
    tls_conn = json.load(open(tls_conn_path))
    flow = json.load(open(flow_path))
    insights = json.load(open(insights_path))
    check(len(flow) > 0 and len(tls_conn) > 0, "the cmdlets returned no data: nothing was checked")

    # Mail Flow view: one mark per (direction, date, connector) with messages.
    marks = {}
    for chart, a, title in page.rects:
        if chart.startswith("mailflow-"):
            key = (a["data-direction"], a["data-date"], a["data-connector"])
            check(key not in marks, f"two marks for {key}")
            marks[key] = (int(a["data-messages"]), title)
    expected = {}
    for r in flow:
        if r["Messages"] > 0:
            key = (r["Direction"], r["Date"][:10], label(r["Connector"]))
            expected[key] = expected.get(key, 0) + r["Messages"]
    check(set(marks) == set(expected), f"Mail Flow marks differ: extra {set(marks) - set(expected)}, missing {set(expected) - set(marks)}")
    for key, n in expected.items():
        if key in marks:
            check(marks[key][0] == n, f"{key}: chart says {marks[key][0]}, Get-ConnectorReport {n}")
            check(f": {n} message" in marks[key][1], f"{key}: hover title '{marks[key][1]}' lacks {n}")
    for direction in ("Inbound", "Outbound"):
        table = page.tables.get(f"mailflow-{direction.lower()}-table")
        rows = [r for r in flow if r["Direction"] == direction]
        if not rows:
            continue
        check(table is not None, f"no Mail Flow table for {direction}")
        header = table[0]
        cells = {(row[0], header[i]): int(row[i]) for row in table[1:] for i in range(1, len(header) - 1)}
        for r in rows:
            got = cells.get((r["Date"][:10], label(r["Connector"])))
            check(got == r["Messages"], f"{direction} table {r['Date'][:10]} {label(r['Connector'])}: {got} != {r['Messages']}")
        check(sum(int(row[-1]) for row in table[1:]) == sum(r["Messages"] for r in rows), f"{direction} table totals")

    # TLS usage by connector.
    seen = 0
    for r in tls_conn:
        d, c, v = r["Direction"], label(r["Connector"]), r["TlsVersion"]
        found = [(a, t) for chart, a, t in page.rects
                 if chart == f"tls-{d.lower()}" and a["data-label"] == c and a["data-tls"] == v]
        if r["Messages"] == 0:
            continue
        seen += 1
        check(len(found) == 1, f"TLS usage {d} {c} {v}: {len(found)} marks")
        if found:
            a, t = found[0]
            check(int(a["data-messages"]) == r["Messages"], f"TLS usage {d} {c} {v}: messages {a['data-messages']} != {r['Messages']}")
            check(a["data-percent"] == pct(r["Percent"]), f"TLS usage {d} {c} {v}: percent {a['data-percent']} != {pct(r['Percent'])}")
            check(f"{r['Messages']} messages ({pct(r['Percent'])}%)" in t or f"{r['Messages']} message ({pct(r['Percent'])}%)" in t, f"hover title '{t}'")
        table = page.tables[f"tls-{d.lower()}-table"]
        col = table[0].index(v)
        row = [row for row in table if row[0] == c]
        check(len(row) == 1 and row[0][col] == f"{r['Messages']} ({pct(r['Percent'])}%)", f"TLS table {d} {c} {v}")
    check(seen == sum(1 for chart, a, t in page.rects if chart.startswith("tls-") and chart != "tls-summary"), "TLS usage marks without a record")

    # Message protected in transit: the summary table is Get-TlsUsage's rows.
    table = page.tables["tls-summary-table"]
    check(table[1:] == [[r["Direction"], r["TlsVersion"], str(r["Messages"]), pct(r["Percent"])] for r in tls], "summary table differs from Get-TlsUsage")

    # Insights.
    table = page.tables.get("insights-table")
    want = [[r["Rule"], r["Direction"], label(r["Connector"]), pct(r["Value"]), pct(r["Threshold"]), str(r["Messages"])] for r in insights]
    check((table or [[]])[1:] == want, f"insights table {table} != {want}")

    # No external request.
    remote = re.compile(r"^\s*(https?:|//|ftp:)", re.I)
    for tag, a in page.tags:
        check(tag not in ("script", "iframe", "img", "object", "embed"), f"<{tag}> in the page")
        for name in ("src", "href", "srcset", "action", "xlink:href"):
            if name in a:
                check(not remote.match(a[name] or ""), f"<{tag} {name}={a[name]}> is remote")
    css = "".join(page.styles)
    check("@import" not in css and "url(" not in css, "the style sheet loads something")

    if failures:
        for f in failures[:30]:
            print("report_check: " + f, file=sys.stderr)
        return 1
    print(f"report_check: {len(page.rects)} chart marks and {sum(len(t) for t in page.tables.values())} table rows match the cmdlets")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
