#include "render/dashboard_html.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "core/trace.h"
#include "locale/messages.h"
#include "render/dashboard_style.h"
#include "render/html_text.h"
#include "render/svg_chart.h"
#include "render/tls_readiness_html.h"

namespace mailflow {

namespace {

// Tableau-10-like hues; the ones close to the TLS greens and reds come last
// so that small reports do not mix the two palettes up.
const char* const kConnectorPalette[] = {"#4e79a7", "#f28e2b", "#76b7b2", "#b07aa1", "#edc948",
                                         "#9c755f", "#ff9da7", "#17becf", "#59a14f", "#e15759"};
const char* const kNoConnectorColour = "#bab0ac";

std::string lower(const std::string& s) { return to_lower(s); }

// What the page shows is written for the culture (render_dashboard_html makes
// it current); data-* attributes keep the cmdlets' invariant values.
std::string count(std::int64_t n) { return current_culture().count(n); }
std::string number2(double v) { return current_culture().number(v, 2); }
std::string date(DayNumber day) { return current_culture().date(day); }

// The culture's percentage with its number wrapped in a span of `cls`
// ("<span class=...>58,50</span>&nbsp;%").
std::string percent_span(double v, const char* cls) {
  const std::string whole = current_culture().percent(v);
  const std::string digits = number2(v);
  size_t at = whole.find(digits);
  std::string span = "<span class=\"" + std::string(cls) + "\">" + digits + "</span>";
  if (at == std::string::npos) return span + "%";
  return html_escape(whole.substr(0, at)) + span + html_escape(whole.substr(at + digits.size()));
}

// A message with HTML in its arguments: the translation is escaped, the
// arguments (already HTML) are not.
std::string format_html(const std::string& message, std::initializer_list<std::string> html_args) {
  return format_message(html_escape(message), html_args);
}

std::string header_cell(const std::string& text) {
  return "<th scope=\"col\">" + html_escape(text) + "</th>";
}

bool inbound(const std::string& dir) { return iequals(dir, "Inbound"); }

std::string direction_label(const std::string& dir) {
  if (inbound(dir)) return _p("direction", "Inbound");
  if (iequals(dir, "Outbound")) return _p("direction", "Outbound");
  return dir;
}

std::string direction_label(Direction d) { return direction_label(std::string(direction_name(d))); }
bool is_direction(Direction d, const std::string& dir) { return iequals(direction_name(d), dir); }

std::string no_messages(const std::string& dir) {
  return inbound(dir) ? _("No inbound messages in this range.")
                      : _("No outbound messages in this range.");
}

// A TLS version as a legend or a header names it: the protocol names stay,
// None (plain text) and Unknown (not recorded) are words.
std::string tls_label(const std::string& version) {
  if (version == "None") return _p("TLS version", "None");
  if (version == "Unknown") return _p("TLS version", "Unknown");
  return version;
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


std::vector<std::pair<std::string, std::string>> tls_legend() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& v : tls_versions()) out.emplace_back(tls_label(v), tls_colour(v));
  return out;
}

std::string range_text(const DashboardInput& in) {
  int days = in.end_day - in.start_day + 1;
  return format_message(_n("%1$s – %2$s (%3$s day, UTC)", "%1$s – %2$s (%3$s days, UTC)", days),
                        {date(in.start_day), date(in.end_day), count(days)});
}

// --- Message protected in transit (by TLS) ---------------------------------

std::int64_t unknown_messages(const std::vector<const TlsUsageRow*>& rows) {
  std::int64_t n = 0;
  for (const TlsUsageRow* r : rows)
    if (r->tls == TlsVersion::Unknown) n += r->messages;
  return n;
}

PercentBar percent_bar(const std::string& label, const std::string& direction,
                       const std::vector<const TlsUsageRow*>& rows) {
  PercentBar bar{label, direction, 0, {}};
  for (const std::string& version : tls_versions()) {
    PercentSegment seg{version, tls_label(version), tls_colour(version), 0, 0};
    for (const TlsUsageRow* r : rows)
      if (tls_name(r->tls) == version) {
        seg.messages += r->messages;
        seg.percent += r->percent.value_or(0);
      }
    bar.total += seg.messages;
    bar.segments.push_back(seg);
  }
  return bar;
}

std::string protected_section(const DashboardInput& in, const std::vector<std::string>& directions) {
  const std::vector<TlsUsageRow>& rows = in.tls_summary;
  std::string out = "<section id=\"protected\">\n<h2>" +
                    html_escape(_("Message protected in transit (by TLS)")) +
                    "</h2>\n<p class=\"lead\">" +
                    html_escape(_("Share of the messages that crossed the organisation's boundary "
                                  "over a TLS-encrypted connection.")) +
                    "</p>\n<div class=\"stats\">\n";
  std::vector<PercentBar> bars;
  for (const std::string& dir : directions) {
    std::vector<const TlsUsageRow*> mine;
    for (const TlsUsageRow& r : rows)
      if (is_direction(r.direction, dir)) mine.push_back(&r);
    PercentBar bar = percent_bar(direction_label(dir), dir, mine);
    std::int64_t plain = 0;
    for (const PercentSegment& s : bar.segments)
      if (s.key == "None") plain = s.messages;
    out += "<div class=\"stat\" data-direction=\"" + html_escape(dir) + "\">\n<h3>" +
           html_escape(direction_label(dir)) + "</h3>\n";
    // Messages whose source did not record TLS are told apart, never drawn
    // as a version nor counted as plain text.
    std::int64_t unknown = unknown_messages(mine);
    std::string unknown_note =
        unknown == 0 ? std::string()
                     : "<p class=\"unknown-tls\">" + html_escape(unknown_tls_note(unknown)) + "</p>\n";
    if (bar.total == 0) {
      out += "<p class=\"big\">–</p>\n" +
             (unknown == 0 ? "<p class=\"empty\">" + html_escape(no_messages(dir)) + "</p>\n" : unknown_note) +
             "</div>\n";
      continue;
    }
    double share = 100.0 * static_cast<double>(bar.total - plain) / static_cast<double>(bar.total);
    // TRANSLATORS: under the big percentage of protected messages, e.g.
    // "58.50%" / "of 1234 inbound messages were protected by TLS (722 encrypted, 512 in plain text)."
    const std::string sentence =
        inbound(dir) ? _n("of %1$s inbound message was protected by TLS (%2$s encrypted, %3$s in plain text).",
                          "of %1$s inbound messages were protected by TLS (%2$s encrypted, %3$s in plain text).",
                          bar.total)
                     : _n("of %1$s outbound message was protected by TLS (%2$s encrypted, %3$s in plain text).",
                          "of %1$s outbound messages were protected by TLS (%2$s encrypted, %3$s in plain text).",
                          bar.total);
    out += "<p class=\"big\">" + percent_span(share, "protected-percent") + "</p>\n<p>" +
           format_html(sentence, {"<span class=\"protected-total\">" + count(bar.total) + "</span>",
                                  html_escape(count(bar.total - plain)), html_escape(count(plain))}) +
           "</p>\n" + unknown_note + "</div>\n";
    bars.push_back(std::move(bar));
  }
  out += "</div>\n";
  if (bars.empty()) return out + "</section>\n";
  out += legend(tls_legend());
  out += svg_percent_bars("tls-summary", _("TLS version share of all messages by direction"), bars);
  out += "<div class=\"table-wrap\"><table id=\"tls-summary-table\">\n<caption>" +
         html_escape(_("Messages by direction and TLS version (Get-TlsUsage)")) +
         "</caption>\n<thead><tr>" + header_cell(_("Direction")) + header_cell(_("TLS version")) +
         header_cell(_("Messages")) + header_cell(_("Percent")) + "</tr></thead>\n<tbody>\n";
  for (const TlsUsageRow& r : rows)
    out += "<tr><th scope=\"row\">" + html_escape(direction_label(r.direction)) + "</th><td>" +
           html_escape(tls_label(std::string(tls_name(r.tls)))) + "</td><td>" + count(r.messages) +
           "</td><td>" + (r.percent ? number2(*r.percent) : std::string("–")) + "</td></tr>\n";
  return out + "</tbody></table></div>\n</section>\n";
}

// --- Mail Flow view (Connector report) --------------------------------------

// Connectors ordered by their messages over the range, most first, ties by
// name; traffic without a connector last. Shared by both directions so that
// a connector keeps its colour.
std::vector<std::optional<std::string>> connector_order(const std::vector<ConnectorDayRow>& rows) {
  std::map<std::optional<std::string>, std::int64_t> totals;
  for (const ConnectorDayRow& r : rows) totals[r.connector] += r.messages;
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
  const std::vector<ConnectorDayRow>& rows = in.mail_flow;
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

  std::string out = "<section id=\"mailflow\">\n<h2>" + html_escape(_("Mail flow")) +
                    "</h2>\n<p class=\"lead\">" +
                    html_escape(_("Messages per day and connector (Connector report, Mail Flow "
                                  "view). Traffic that used no connector is shown as (none).")) +
                    "</p>\n";
  for (const std::string& dir : directions) {
    std::vector<DailySeries> series;
    for (const auto& c : order) {
      DailySeries s{connector_label(c), colours[c], std::vector<std::int64_t>(static_cast<size_t>(days), 0)};
      bool any = false;
      for (const ConnectorDayRow& r : rows)
        if (is_direction(r.direction, dir) && r.connector == c) {
          s.per_day[static_cast<size_t>(r.day - in.start_day)] += r.messages;
          any = true;
        }
      if (any) series.push_back(std::move(s));
    }
    const std::string id = "mailflow-" + lower(dir);
    out += "<h3>" + html_escape(direction_label(dir)) + "</h3>\n";
    if (series.empty()) {
      out += "<p class=\"empty\">" + html_escape(no_messages(dir)) + "</p>\n";
      continue;
    }
    std::vector<std::pair<std::string, std::string>> entries;
    for (const DailySeries& s : series) entries.emplace_back(s.label, s.colour);
    out += legend(entries);
    out += svg_daily_stacked(id,
                             inbound(dir) ? _("Inbound messages per day by connector")
                                          : _("Outbound messages per day by connector"),
                             dir, in.start_day, days, series);
    out += "<div class=\"table-wrap\"><table id=\"" + id + "-table\">\n<caption>" +
           html_escape(inbound(dir) ? _("Inbound messages per day and connector (Get-ConnectorReport)")
                                    : _("Outbound messages per day and connector (Get-ConnectorReport)")) +
           "</caption>\n<thead><tr>" + header_cell(_("Date"));
    for (const DailySeries& s : series) out += header_cell(s.label);
    out += header_cell(_("Total")) + "</tr></thead>\n<tbody>\n";
    for (int d = 0; d < days; ++d) {
      std::int64_t total = 0;
      out += "<tr><th scope=\"row\">" + html_escape(date(in.start_day + d)) + "</th>";
      for (const DailySeries& s : series) {
        std::int64_t n = s.per_day[static_cast<size_t>(d)];
        total += n;
        out += "<td>" + count(n) + "</td>";
      }
      out += "<td>" + count(total) + "</td></tr>\n";
    }
    out += "</tbody></table></div>\n";
  }
  return out + "</section>\n";
}

// --- TLS usage view ----------------------------------------------------------

std::string tls_section(const DashboardInput& in, const std::vector<std::string>& directions) {
  const std::vector<TlsUsageRow>& rows = in.tls_by_connector;
  std::string out = "<section id=\"tls\">\n<h2>" + html_escape(_("TLS usage by connector")) +
                    "</h2>\n<p class=\"lead\">" +
                    html_escape(_("Share of each connector's messages by TLS version, from the "
                                  "strongest (TLS1.3) to plain text (None).")) +
                    "</p>\n";
  for (const std::string& dir : directions) {
    // Connectors in the order the cmdlet listed them.
    std::vector<std::optional<std::string>> connectors;
    for (const TlsUsageRow& r : rows)
      if (is_direction(r.direction, dir) &&
          std::find(connectors.begin(), connectors.end(), r.connector) == connectors.end())
        connectors.push_back(r.connector);
    const std::string id = "tls-" + lower(dir);
    out += "<h3>" + html_escape(direction_label(dir)) + "</h3>\n";
    if (connectors.empty()) {
      out += "<p class=\"empty\">" + html_escape(no_messages(dir)) + "</p>\n";
      continue;
    }
    std::vector<PercentBar> bars;
    std::string unknown_notes;
    for (const auto& c : connectors) {
      std::vector<const TlsUsageRow*> mine;
      for (const TlsUsageRow& r : rows)
        if (is_direction(r.direction, dir) && r.connector == c) mine.push_back(&r);
      bars.push_back(percent_bar(connector_label(c), dir, mine));
      if (std::int64_t unknown = unknown_messages(mine); unknown > 0)
        unknown_notes += "<p class=\"unknown-tls\">" + html_escape(connector_label(c)) + ": " +
                         html_escape(unknown_tls_note(unknown)) + "</p>\n";
    }
    out += legend(tls_legend());
    out += svg_percent_bars(id,
                            inbound(dir) ? _("Inbound TLS usage by connector")
                                         : _("Outbound TLS usage by connector"),
                            bars);
    out += "<div class=\"table-wrap\"><table id=\"" + id + "-table\">\n<caption>" +
           html_escape(inbound(dir) ? _("Inbound messages by connector and TLS version: count "
                                        "(percent) (Get-TlsUsage -ByConnector)")
                                    : _("Outbound messages by connector and TLS version: count "
                                        "(percent) (Get-TlsUsage -ByConnector)")) +
           "</caption>\n<thead><tr>" + header_cell(_("Connector")) + header_cell(_("Messages"));
    for (const std::string& v : tls_versions()) out += header_cell(tls_label(v));
    out += "</tr></thead>\n<tbody>\n";
    for (const PercentBar& bar : bars) {
      out += "<tr><th scope=\"row\">" + html_escape(bar.label) + "</th><td>" + count(bar.total) +
             "</td>";
      for (const PercentSegment& s : bar.segments)
        out += "<td>" + html_escape(count(s.messages) + " (" + current_culture().percent(s.percent) + ")") +
               "</td>";
      out += "</tr>\n";
    }
    out += "</tbody></table></div>\n" + unknown_notes;
  }
  return out + "</section>\n";
}

// --- Insights -----------------------------------------------------------------

// The connector a finding is about, or the peer for a failures finding
// about a peer.
std::string insight_subject(const InsightFinding& r) { return r.peer.empty() ? connector_label(r.connector) : r.peer; }

// A failures threshold: a count, with decimals only when it has them.
std::string threshold_number(double v) {
  return v == static_cast<double>(static_cast<std::int64_t>(v)) ? count(static_cast<std::int64_t>(v)) : number2(v);
}

std::string insights_section(const DashboardInput& in) {
  const std::vector<InsightFinding>& rows = in.insights;
  std::string out = "<section id=\"insights\">\n<h2>" + html_escape(_("Insights")) + "</h2>\n";
  if (rows.empty())
    return out + "<p class=\"empty\">" +
           html_escape(_("No insight fired for this range: no connector crossed a threshold.")) +
           "</p>\n</section>\n";
  for (const InsightFinding& r : rows) {
    // TRANSLATORS: after "Inbound · Connector name:"; %1$s is the share, %3$s the threshold.
    const std::string sentence = _n("%1$s of %2$s message (threshold %3$s).",
                                    "%1$s of %2$s messages (threshold %3$s).", r.messages);
    // TRANSLATORS: after "Outbound · peer or connector:"; %1$s failed TLS handshakes, %2$s the threshold.
    const std::string failures = _n("%1$s failed TLS handshake (threshold %2$s).",
                                    "%1$s failed TLS handshakes (threshold %2$s).", r.messages);
    const std::string messages = "<span class=\"messages\">" + count(r.messages) + "</span>";
    out += "<article class=\"insight\"" + std::string(" data-rule=\"") + html_escape(r.rule) +
           "\">\n<h3>" + html_escape(r.title) + "</h3>\n<p><strong>" +
           html_escape(direction_label(r.direction)) + " · " + html_escape(insight_subject(r)) + "</strong>: " +
           (r.failures ? format_html(failures, {messages, "<span class=\"threshold\">" + threshold_number(r.threshold) +
                                                              "</span>"})
                       : format_html(sentence, {percent_span(r.value, "value"), messages,
                                                percent_span(r.threshold, "threshold")})) +
           "</p>\n";
    if (!r.recommendation.empty())
      out += "<p class=\"recommendation\">" + html_escape(r.recommendation) + "</p>\n";
    out += "</article>\n";
  }
  out += "<div class=\"table-wrap\"><table id=\"insights-table\">\n<caption>" +
         html_escape(_("Insights (Get-MailFlowInsights)")) + "</caption>\n<thead><tr>" +
         header_cell(_("Rule")) + header_cell(_("Direction")) + header_cell(_("Connector")) +
         header_cell(_("Value (%)")) + header_cell(_("Threshold (%)")) + header_cell(_("Messages")) +
         "</tr></thead>\n<tbody>\n";
  for (const InsightFinding& r : rows)
    out += "<tr><th scope=\"row\">" + html_escape(r.rule) + "</th><td>" +
           html_escape(direction_label(r.direction)) + "</td><td>" +
           html_escape(insight_subject(r)) + "</td><td>" +
           (r.failures ? count(static_cast<std::int64_t>(r.value)) : number2(r.value)) + "</td><td>" +
           (r.failures ? threshold_number(r.threshold) : number2(r.threshold)) + "</td><td>" + count(r.messages) +
           "</td></tr>\n";
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

std::string unknown_tls_note(std::int64_t messages) {
  return format_message(_n("%s message without TLS information",
                           "%s messages without TLS information", messages),
                        {current_culture().count(messages)});
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
  CultureScope culture(in.culture ? in.culture : current_culture_ptr());
  if (in.end_day < in.start_day)
    throw Error("InvalidReportData", "Export-MailFlowReport: the range ends (" +
                                         format_date(in.end_day) + ") before it starts (" +
                                         format_date(in.start_day) + ")");
  std::vector<std::string> directions;
  if (in.direction) directions.push_back(*in.direction);
  else directions = {"Inbound", "Outbound"};

  std::string out =
      "<!DOCTYPE html>\n<html lang=\"" + current_culture().name() + "\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      // Everything is inline: the policy makes the browser refuse any request.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; img-src data:\"/>\n"
      "<link rel=\"icon\" href=\"data:,\"/>\n"
      "<title>" +
      html_escape(format_message(_("Mail flow report %1$s – %2$s"),
                                 {date(in.start_day), date(in.end_day)})) +
      "</title>\n<style>" + kDashboardCss + "</style>\n</head>\n<body>\n<header>\n<h1>" +
      // TRANSLATORS: the name of the Microsoft 365 widget the page reproduces.
      html_escape(_("Outbound and inbound mail flow")) + "</h1>\n<dl class=\"meta\">\n<dt>" +
      html_escape(_("Range")) + "</dt><dd id=\"range\">" + html_escape(range_text(in)) +
      "</dd>\n<dt>" + html_escape(_("Direction")) + "</dt><dd>" +
      html_escape(in.direction ? direction_label(*in.direction) : _("Inbound and outbound")) +
      "</dd>\n";
  if (in.connector)
    out += "<dt>" + html_escape(_("Connector")) + "</dt><dd>" + html_escape(*in.connector) + "</dd>\n";
  out += "<dt>" + html_escape(_("Store")) + "</dt><dd id=\"store\">" + html_escape(in.store) +
         "</dd>\n<dt>" + html_escape(_("Generated")) + "</dt><dd id=\"generated\">" +
         html_escape(in.generated_at) + "</dd>\n</dl>\n</header>\n<main>\n";
  // Insights come right after the summary: they are what asks for action.
  out += protected_section(in, directions);
  out += insights_section(in);
  out += flow_section(in, directions);
  out += tls_section(in, directions);
  out += tls_readiness_section(in);
  out += "</main>\n<footer>" +
         html_escape(format_message(_("Generated by mailflow %s from the records of Get-TlsUsage, "
                                      "Get-ConnectorReport and Get-MailFlowInsights. Volumes count "
                                      "delivered messages only."),
                                    {MAILFLOW_VERSION})) +
         "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace mailflow
