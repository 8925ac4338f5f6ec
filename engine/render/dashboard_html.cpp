#include "render/dashboard_html.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "core/trace.h"
#include "render/dashboard_style.h"
#include "render/html_text.h"
#include "render/svg_chart.h"

namespace mailflow {

namespace {

// Tableau-10-like hues; the ones close to the TLS greens and reds come last
// so that small reports do not mix the two palettes up.
const char* const kConnectorPalette[] = {"#4e79a7", "#f28e2b", "#76b7b2", "#b07aa1", "#edc948",
                                         "#9c755f", "#ff9da7", "#17becf", "#59a14f", "#e15759"};
const char* const kNoConnectorColour = "#bab0ac";

std::string lower(const std::string& s) { return to_lower(s); }

std::string plural(std::int64_t n, const char* one, const char* many) {
  return format_count(n) + " " + (n == 1 ? one : many);
}

std::string swatch(const std::string& colour) {
  // An SVG square rather than a coloured box: fills print, backgrounds may not.
  return "<svg class=\"swatch\" viewBox=\"0 0 12 12\" aria-hidden=\"true\"><rect width=\"12\" "
         "height=\"12\" rx=\"2\"" + std::string(" fill=\"") + html_escape(colour) + "\"/></svg>";
}

std::string legend(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out = "<ul class=\"legend\">";
  for (const auto& [label, colour] : entries)
    out += "<li>" + swatch(colour) + html_escape(label) + "</li>";
  return out + "</ul>\n";
}

std::vector<std::string> tls_versions() {
  std::vector<std::string> out;
  for (TlsVersion v : kTlsReportOrder) out.emplace_back(tls_name(v));
  return out;
}

// The TLS version's canonical name when the cmdlet spelt it another way.
std::string canonical_tls(const std::string& text) {
  auto v = parse_tls(text);
  return v ? std::string(tls_name(*v)) : text;
}

std::vector<std::pair<std::string, std::string>> tls_legend() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& v : tls_versions()) out.emplace_back(v, tls_colour(v));
  return out;
}

std::string range_text(const DashboardInput& in) {
  int days = in.end_day - in.start_day + 1;
  return format_date(in.start_day) + " – " + format_date(in.end_day) + " (" +
         plural(days, "day", "days") + ", UTC)";
}

// --- Message protected in transit (by TLS) ---------------------------------

std::int64_t unknown_messages(const std::vector<const TlsRow*>& rows) {
  std::int64_t n = 0;
  for (const TlsRow* r : rows)
    if (parse_tls(r->tls_version) == TlsVersion::Unknown) n += r->messages;
  return n;
}

PercentBar percent_bar(const std::string& label, const std::string& direction,
                       const std::vector<const TlsRow*>& rows) {
  PercentBar bar{label, direction, 0, {}};
  for (const std::string& version : tls_versions()) {
    PercentSegment seg{version, tls_colour(version), 0, 0};
    for (const TlsRow* r : rows)
      if (canonical_tls(r->tls_version) == version) {
        seg.messages += r->messages;
        seg.percent += r->percent.value_or(0);
      }
    bar.total += seg.messages;
    bar.segments.push_back(seg);
  }
  return bar;
}

std::string protected_section(const DashboardInput& in, const std::vector<std::string>& directions) {
  std::vector<TlsRow> rows = tls_rows(in.tls_summary, "Get-TlsUsage");
  std::string out =
      "<section id=\"protected\">\n<h2>Message protected in transit (by TLS)</h2>\n"
      "<p class=\"lead\">Share of the messages that crossed the organisation's boundary over a "
      "TLS-encrypted connection.</p>\n<div class=\"stats\">\n";
  std::vector<PercentBar> bars;
  for (const std::string& dir : directions) {
    std::vector<const TlsRow*> mine;
    for (const TlsRow& r : rows)
      if (iequals(r.direction, dir)) mine.push_back(&r);
    PercentBar bar = percent_bar(dir, dir, mine);
    std::int64_t plain = 0;
    for (const PercentSegment& s : bar.segments)
      if (s.key == "None") plain = s.messages;
    out += "<div class=\"stat\" data-direction=\"" + html_escape(dir) + "\">\n<h3>" +
           html_escape(dir) + "</h3>\n";
    // Messages whose source did not record TLS are told apart, never drawn
    // as a version nor counted as plain text.
    std::int64_t unknown = unknown_messages(mine);
    std::string unknown_note =
        unknown == 0 ? std::string()
                     : "<p class=\"unknown-tls\">" + format_count(unknown) + " " +
                           (unknown == 1 ? "message" : "messages") + " without TLS information</p>\n";
    if (bar.total == 0) {
      out += "<p class=\"big\">–</p>\n" +
             (unknown == 0 ? "<p class=\"empty\">No " + html_escape(lower(dir)) + " messages in this range.</p>\n"
                           : unknown_note) +
             "</div>\n";
      continue;
    }
    double share = 100.0 * static_cast<double>(bar.total - plain) / static_cast<double>(bar.total);
    out += "<p class=\"big\"><span class=\"protected-percent\">" + format_percent(share) +
           "</span>%</p>\n<p>of <span class=\"protected-total\">" + format_count(bar.total) +
           "</span> " + html_escape(lower(dir)) + " messages were protected by TLS (" +
           format_count(bar.total - plain) + " encrypted, " + format_count(plain) +
           " in plain text).</p>\n" + unknown_note + "</div>\n";
    bars.push_back(std::move(bar));
  }
  out += "</div>\n";
  if (bars.empty()) return out + "</section>\n";
  out += legend(tls_legend());
  out += svg_percent_bars("tls-summary", "TLS version share of all messages by direction", bars);
  out += "<div class=\"table-wrap\"><table id=\"tls-summary-table\">\n<caption>Messages by "
         "direction and TLS version (Get-TlsUsage)</caption>\n<thead><tr><th scope=\"col\">"
         "Direction</th><th scope=\"col\">TLS version</th><th scope=\"col\">Messages</th>"
         "<th scope=\"col\">Percent</th></tr></thead>\n<tbody>\n";
  for (const TlsRow& r : rows)
    out += "<tr><th scope=\"row\">" + html_escape(r.direction) + "</th><td>" +
           html_escape(canonical_tls(r.tls_version)) + "</td><td>" + format_count(r.messages) +
           "</td><td>" + (r.percent ? format_percent(*r.percent) : std::string("–")) + "</td></tr>\n";
  return out + "</tbody></table></div>\n</section>\n";
}

// --- Mail Flow view (Connector report) --------------------------------------

// Connectors ordered by their messages over the range, most first, ties by
// name; traffic without a connector last. Shared by both directions so that
// a connector keeps its colour.
std::vector<std::optional<std::string>> connector_order(const std::vector<FlowRow>& rows) {
  std::map<std::optional<std::string>, std::int64_t> totals;
  for (const FlowRow& r : rows) totals[r.connector] += r.messages;
  std::vector<std::pair<std::optional<std::string>, std::int64_t>> sorted(totals.begin(), totals.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    if (a.first.has_value() != b.first.has_value()) return a.first.has_value();
    return a.second > b.second;
  });
  std::vector<std::optional<std::string>> out;
  for (const auto& [c, n] : sorted) out.push_back(c);
  return out;
}

std::string flow_section(const DashboardInput& in, const std::vector<std::string>& directions) {
  std::vector<FlowRow> rows = flow_rows(in.mail_flow);
  const int days = in.end_day - in.start_day + 1;
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i].day < in.start_day || rows[i].day > in.end_day)
      throw Error("InvalidReportData", "Export-MailFlowReport: record " + std::to_string(i + 1) +
                                           " of Get-ConnectorReport is dated " +
                                           format_date(rows[i].day) + ", outside the range " +
                                           range_text(in));
  std::vector<std::optional<std::string>> order = connector_order(rows);
  std::map<std::optional<std::string>, std::string> colours;
  size_t named = 0;
  for (const auto& c : order) colours[c] = connector_colour(c ? named++ : 0, !c);

  std::string out =
      "<section id=\"mailflow\">\n<h2>Mail flow</h2>\n<p class=\"lead\">Messages per day and "
      "connector (Connector report, Mail Flow view). Traffic that used no connector is shown as "
      "(none).</p>\n";
  for (const std::string& dir : directions) {
    std::vector<DailySeries> series;
    for (const auto& c : order) {
      DailySeries s{connector_label(c), colours[c], std::vector<std::int64_t>(static_cast<size_t>(days), 0)};
      bool any = false;
      for (const FlowRow& r : rows)
        if (iequals(r.direction, dir) && r.connector == c) {
          s.per_day[static_cast<size_t>(r.day - in.start_day)] += r.messages;
          any = true;
        }
      if (any) series.push_back(std::move(s));
    }
    const std::string id = "mailflow-" + lower(dir);
    out += "<h3>" + html_escape(dir) + "</h3>\n";
    if (series.empty()) {
      out += "<p class=\"empty\">No " + html_escape(lower(dir)) + " messages in this range.</p>\n";
      continue;
    }
    std::vector<std::pair<std::string, std::string>> entries;
    for (const DailySeries& s : series) entries.emplace_back(s.label, s.colour);
    out += legend(entries);
    out += svg_daily_stacked(id, dir + " messages per day by connector", dir, in.start_day, days,
                             series);
    out += "<div class=\"table-wrap\"><table id=\"" + id + "-table\">\n<caption>" +
           html_escape(dir) + " messages per day and connector (Get-ConnectorReport)</caption>\n"
           "<thead><tr><th scope=\"col\">Date</th>";
    for (const DailySeries& s : series)
      out += "<th scope=\"col\">" + html_escape(s.label) + "</th>";
    out += "<th scope=\"col\">Total</th></tr></thead>\n<tbody>\n";
    for (int d = 0; d < days; ++d) {
      std::int64_t total = 0;
      out += "<tr><th scope=\"row\">" + format_date(in.start_day + d) + "</th>";
      for (const DailySeries& s : series) {
        std::int64_t n = s.per_day[static_cast<size_t>(d)];
        total += n;
        out += "<td>" + format_count(n) + "</td>";
      }
      out += "<td>" + format_count(total) + "</td></tr>\n";
    }
    out += "</tbody></table></div>\n";
  }
  return out + "</section>\n";
}

// --- TLS usage view ----------------------------------------------------------

std::string tls_section(const DashboardInput& in, const std::vector<std::string>& directions) {
  std::vector<TlsRow> rows = tls_rows(in.tls_by_connector, "Get-TlsUsage -ByConnector");
  std::string out =
      "<section id=\"tls\">\n<h2>TLS usage by connector</h2>\n<p class=\"lead\">Share of each "
      "connector's messages by TLS version, from the strongest (TLS1.3) to plain text "
      "(None).</p>\n";
  for (const std::string& dir : directions) {
    // Connectors in the order the cmdlet listed them.
    std::vector<std::optional<std::string>> connectors;
    for (const TlsRow& r : rows)
      if (iequals(r.direction, dir) &&
          std::find(connectors.begin(), connectors.end(), r.connector) == connectors.end())
        connectors.push_back(r.connector);
    const std::string id = "tls-" + lower(dir);
    out += "<h3>" + html_escape(dir) + "</h3>\n";
    if (connectors.empty()) {
      out += "<p class=\"empty\">No " + html_escape(lower(dir)) + " messages in this range.</p>\n";
      continue;
    }
    std::vector<PercentBar> bars;
    std::string unknown_notes;
    for (const auto& c : connectors) {
      std::vector<const TlsRow*> mine;
      for (const TlsRow& r : rows)
        if (iequals(r.direction, dir) && r.connector == c) mine.push_back(&r);
      bars.push_back(percent_bar(connector_label(c), dir, mine));
      if (std::int64_t unknown = unknown_messages(mine); unknown > 0)
        unknown_notes += "<p class=\"unknown-tls\">" + html_escape(connector_label(c)) + ": " +
                         format_count(unknown) + " " + (unknown == 1 ? "message" : "messages") +
                         " without TLS information</p>\n";
    }
    out += legend(tls_legend());
    out += svg_percent_bars(id, dir + " TLS usage by connector", bars);
    out += "<div class=\"table-wrap\"><table id=\"" + id + "-table\">\n<caption>" +
           html_escape(dir) + " messages by connector and TLS version: count (percent) "
           "(Get-TlsUsage -ByConnector)</caption>\n<thead><tr><th scope=\"col\">Connector</th>"
           "<th scope=\"col\">Messages</th>";
    for (const std::string& v : tls_versions()) out += "<th scope=\"col\">" + v + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (const PercentBar& bar : bars) {
      out += "<tr><th scope=\"row\">" + html_escape(bar.label) + "</th><td>" +
             format_count(bar.total) + "</td>";
      for (const PercentSegment& s : bar.segments)
        out += "<td>" + format_count(s.messages) + " (" + format_percent(s.percent) + "%)</td>";
      out += "</tr>\n";
    }
    out += "</tbody></table></div>\n" + unknown_notes;
  }
  return out + "</section>\n";
}

// --- Insights -----------------------------------------------------------------

std::string insights_section(const DashboardInput& in) {
  std::vector<InsightRow> rows = insight_rows(in.insights);
  std::string out = "<section id=\"insights\">\n<h2>Insights</h2>\n";
  if (rows.empty())
    return out + "<p class=\"empty\">No insight fired for this range: no connector crossed a "
                 "threshold.</p>\n</section>\n";
  for (const InsightRow& r : rows) {
    out += "<article class=\"insight\"" + std::string(" data-rule=\"") + html_escape(r.rule) +
           "\">\n<h3>" + html_escape(r.title) + "</h3>\n<p><strong>" + html_escape(r.direction) +
           " · " + html_escape(connector_label(r.connector)) + "</strong>: <span class=\"value\">" +
           format_percent(r.value) + "</span>% of <span class=\"messages\">" +
           format_count(r.messages) + "</span> messages (threshold <span class=\"threshold\">" +
           format_percent(r.threshold) + "</span>%).</p>\n";
    if (!r.recommendation.empty())
      out += "<p class=\"recommendation\">" + html_escape(r.recommendation) + "</p>\n";
    out += "</article>\n";
  }
  out += "<div class=\"table-wrap\"><table id=\"insights-table\">\n<caption>Insights "
         "(Get-MailFlowInsights)</caption>\n<thead><tr><th scope=\"col\">Rule</th><th "
         "scope=\"col\">Direction</th><th scope=\"col\">Connector</th><th scope=\"col\">Value "
         "(%)</th><th scope=\"col\">Threshold (%)</th><th scope=\"col\">Messages</th></tr>"
         "</thead>\n<tbody>\n";
  for (const InsightRow& r : rows)
    out += "<tr><th scope=\"row\">" + html_escape(r.rule) + "</th><td>" +
           html_escape(r.direction) + "</td><td>" + html_escape(connector_label(r.connector)) +
           "</td><td>" + format_percent(r.value) + "</td><td>" + format_percent(r.threshold) +
           "</td><td>" + format_count(r.messages) + "</td></tr>\n";
  return out + "</tbody></table></div>\n</section>\n";
}

}  // namespace

std::string tls_colour(const std::string& tls_version) {
  auto v = parse_tls(tls_version);
  switch (v.value_or(TlsVersion::None)) {
    case TlsVersion::Tls13: return "#1b7837";
    case TlsVersion::Tls12: return "#5aae61";
    case TlsVersion::Tls11: return "#fdb863";
    case TlsVersion::Tls10: return "#e66101";
    case TlsVersion::None: return "#b2182b";
    case TlsVersion::Unknown: return "#999999";  // never drawn as a segment; for completeness
  }
  return "#b2182b";
}

std::string connector_colour(size_t index, bool no_connector) {
  if (no_connector) return kNoConnectorColour;
  constexpr size_t n = sizeof kConnectorPalette / sizeof kConnectorPalette[0];
  if (index < n) return kConnectorPalette[index];
  // Beyond the palette: hues spaced by the golden angle stay distinct.
  char buf[48];
  std::snprintf(buf, sizeof buf, "hsl(%d, 45%%, 55%%)", static_cast<int>((index * 137.508)) % 360);
  return buf;
}

std::string render_dashboard_html(const DashboardInput& in) {
  if (in.end_day < in.start_day)
    throw Error("InvalidReportData", "Export-MailFlowReport: the range ends (" +
                                         format_date(in.end_day) + ") before it starts (" +
                                         format_date(in.start_day) + ")");
  std::vector<std::string> directions;
  if (in.direction) directions.push_back(*in.direction);
  else directions = {"Inbound", "Outbound"};

  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      // Everything is inline: the policy makes the browser refuse any request.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; img-src data:\"/>\n"
      "<link rel=\"icon\" href=\"data:,\"/>\n"
      "<title>Mail flow report " + format_date(in.start_day) + " – " + format_date(in.end_day) +
      "</title>\n<style>" + kDashboardCss + "</style>\n</head>\n<body>\n<header>\n"
      "<h1>Outbound and inbound mail flow</h1>\n<dl class=\"meta\">\n<dt>Range</dt><dd id=\"range\">" +
      html_escape(range_text(in)) + "</dd>\n<dt>Direction</dt><dd>" +
      html_escape(in.direction.value_or("Inbound and outbound")) + "</dd>\n";
  if (in.connector)
    out += "<dt>Connector</dt><dd>" + html_escape(*in.connector) + "</dd>\n";
  out += "<dt>Store</dt><dd id=\"store\">" + html_escape(in.store) +
         "</dd>\n<dt>Generated</dt><dd id=\"generated\">" + html_escape(in.generated_at) +
         "</dd>\n</dl>\n</header>\n<main>\n";
  // Insights come right after the summary: they are what asks for action.
  out += protected_section(in, directions);
  out += insights_section(in);
  out += flow_section(in, directions);
  out += tls_section(in, directions);
  out += "</main>\n<footer>Generated by mailflow " MAILFLOW_VERSION
         " from the records of Get-TlsUsage, Get-ConnectorReport and Get-MailFlowInsights. "
         "Volumes count delivered messages only.</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace mailflow
