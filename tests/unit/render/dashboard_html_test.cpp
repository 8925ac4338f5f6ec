// The HTML dashboard over fixed typed report rows (reports/): every number
// drawn or tabulated must be the number of the record the cmdlet makes of
// that row (cmdlets/report_records.h), hostile names must come out escaped,
// and the page must not reach outside itself.
#include "render/dashboard_html.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>

#include "cmdlets/report_records.h"
#include "host/cmdlet.h"
#include "core/error.h"
#include "locale/messages.h"
#include "render/html_text.h"
#include "render/html_tree.h"
#include "render/svg_chart.h"

namespace mailflow {

namespace {

using testing::HtmlNode;

const std::string kScript = "<script>alert('x')</script>";
const std::string kQuotes = "Fabrikam \"Partner\" & 'Co' <relay>";

std::optional<std::string> connector_of(const Value& v) {
  return v.is_null() ? std::nullopt : std::optional<std::string>(v.as_string());
}

ConnectorDayRow flow(const char* date, const char* dir, Value connector, std::int64_t n) {
  return {*parse_date(date), *parse_direction(dir), connector_of(connector), n};
}

TlsUsageRow tls(const char* dir, std::optional<Value> connector, const char* version, std::int64_t n,
                double pct) {
  return {*parse_direction(dir), connector ? connector_of(*connector) : std::nullopt, *parse_tls(version), n, pct};
}

InsightFinding insight(const char* rule, const char* title, const char* dir, Value connector, double value,
                       double threshold, std::int64_t n, const char* rec) {
  return {rule, title, *parse_direction(dir), connector.as_string(), value, threshold, n, rec};
}

DashboardInput fixture() {
  DashboardInput in;
  in.start_day = *parse_date("2026-11-16");
  in.end_day = *parse_date("2026-11-22");
  in.store = "/var/lib/mailflow/<prod> & co.db";
  in.generated_at = "2026-11-23T13:00:00Z";
  in.mail_flow = {
      flow("2026-11-16", "Inbound", Value("Contoso Partner"), 120),
      flow("2026-11-16", "Inbound", Value(nullptr), 14),
      flow("2026-11-16", "Inbound", Value(kScript), 7),
      flow("2026-11-17", "Inbound", Value("Contoso Partner"), 240),
      flow("2026-11-19", "Inbound", Value(kScript), 1),
      flow("2026-11-22", "Inbound", Value("Contoso Partner"), 200),
      flow("2026-11-16", "Outbound", Value(kQuotes), 300),
      flow("2026-11-18", "Outbound", Value(kQuotes), 280),
      flow("2026-11-18", "Outbound", Value(nullptr), 9),
      flow("2026-11-21", "Outbound", Value("Smart host"), 0),
  };
  in.tls_summary = {
      tls("Inbound", std::nullopt, "TLS1.3", 300, 50.17),
      tls("Inbound", std::nullopt, "TLS1.2", 250, 41.81),
      tls("Inbound", std::nullopt, "TLS1.0", 8, 1.34),
      tls("Inbound", std::nullopt, "None", 40, 6.69),
      tls("Outbound", std::nullopt, "TLS1.3", 589, 100.0),
  };
  in.tls_by_connector = {
      tls("Inbound", Value("Contoso Partner"), "TLS1.3", 300, 53.57),
      tls("Inbound", Value("Contoso Partner"), "TLS1.2", 250, 44.64),
      tls("Inbound", Value("Contoso Partner"), "None", 10, 1.79),
      tls("Inbound", Value(kScript), "TLS1.0", 8, 100.0),
      tls("Inbound", Value(nullptr), "None", 30, 100.0),
      tls("Outbound", Value(kQuotes), "TLS1.3", 580, 100.0),
      tls("Outbound", Value(nullptr), "TLS1.3", 9, 100.0),
  };
  in.insights = {
      insight("Tls10", "TLS 1.0 is above 50%", "Inbound", Value(kScript), 100.0, 50.0, 8,
              "Ask the partner behind <script> to enable TLS 1.2 & later."),
  };
  return in;
}

std::unique_ptr<HtmlNode> render(const DashboardInput& in) {
  std::string html = render_dashboard_html(in);
  try {
    return testing::parse_html(html);
  } catch (const testing::HtmlParseError& e) {
    ADD_FAILURE() << "not well-formed: " << e.what();
    return std::make_unique<HtmlNode>();
  }
}

std::string label(const Value& v) { return v.is_null() ? "(none)" : v.as_string(); }

// The cell text of a table as rows of strings (header row first).
std::vector<std::vector<std::string>> table_cells(const HtmlNode& table) {
  std::vector<std::vector<std::string>> rows;
  for (const HtmlNode* tr : table.all("tr")) {
    std::vector<std::string> cells;
    for (const auto& c : tr->children)
      if (c->tag == "td" || c->tag == "th") cells.push_back(c->inner_text());
    rows.push_back(cells);
  }
  return rows;
}

const HtmlNode& chart(const HtmlNode& doc, const std::string& id) {
  const HtmlNode* svg = doc.by_attr("data-chart", id);
  if (!svg) throw std::runtime_error("no chart " + id);
  return *svg;
}

}  // namespace

TEST(DashboardHtml, MailFlowChartAndTableShowTheConnectorReport) {
  DashboardInput in = fixture();
  auto doc = render(in);
  for (const char* dir : {"Inbound", "Outbound"}) {
    std::string lower = dir[0] == 'I' ? "inbound" : "outbound";
    const HtmlNode& svg = chart(*doc, "mailflow-" + lower);
    auto rects = svg.all("rect");
    auto table = table_cells(*doc->by_id("mailflow-" + lower + "-table"));
    const auto& header = table[0];
    size_t expected_rects = 0;
    std::int64_t expected_total = 0;
    for (const Value& v : connector_day_records(in.mail_flow)) {
      const Record& r = v.as_record();
      if (r.get("Direction")->as_string() != dir) continue;
      std::string date = r.get("Date")->to_display();
      std::string conn = label(*r.get("Connector"));
      std::int64_t n = r.get("Messages")->as_int();
      expected_total += n;
      // Table: row of the date, column of the connector.
      auto col = std::find(header.begin(), header.end(), conn);
      if (n > 0) {
        ASSERT_NE(col, header.end()) << conn;
        int day = *parse_date(date) - in.start_day;
        EXPECT_EQ(table[static_cast<size_t>(day) + 1][static_cast<size_t>(col - header.begin())],
                  std::to_string(n));
      }
      if (n == 0) continue;
      ++expected_rects;
      int found = 0;
      for (const HtmlNode* rect : rects)
        if (rect->attr("data-date") == date && rect->attr("data-connector") == conn) {
          ++found;
          EXPECT_EQ(rect->attr("data-messages"), std::to_string(n));
          EXPECT_EQ(rect->attr("data-direction"), dir);
          EXPECT_NE(rect->child("title")->inner_text().find(": " + std::to_string(n) + " message"),
                    std::string::npos);
        }
      EXPECT_EQ(found, 1) << dir << " " << date << " " << conn;
    }
    EXPECT_EQ(rects.size(), expected_rects);
    // Every day of the range has a row, and the totals column adds up.
    ASSERT_EQ(table.size(), 1u + 7u);
    std::int64_t sum = 0;
    for (size_t i = 1; i < table.size(); ++i) sum += std::stoll(table[i].back());
    EXPECT_EQ(sum, expected_total);
  }
}

TEST(DashboardHtml, BarHeightsAreProportionalToMessages) {
  auto doc = render(fixture());
  const HtmlNode& svg = chart(*doc, "mailflow-inbound");
  double per_message = -1;
  for (const HtmlNode* rect : svg.all("rect")) {
    double ratio = std::stod(rect->attr("height")) / std::stod(rect->attr("data-messages"));
    if (per_message < 0) per_message = ratio;
    EXPECT_NEAR(ratio, per_message, 0.01);
  }
}

TEST(DashboardHtml, TlsUsageChartAndTableShowTlsUsageByConnector) {
  DashboardInput in = fixture();
  auto doc = render(in);
  for (const Value& v : tls_usage_records(in.tls_by_connector, true)) {
    const Record& r = v.as_record();
    std::string dir = r.get("Direction")->as_string();
    std::string lower = dir == "Inbound" ? "inbound" : "outbound";
    std::string conn = label(*r.get("Connector"));
    std::string version = r.get("TlsVersion")->as_string();
    std::int64_t n = r.get("Messages")->as_int();
    std::string pct = format_percent(r.get("Percent")->as_number());
    int found = 0;
    for (const HtmlNode* rect : chart(*doc, "tls-" + lower).all("rect"))
      if (rect->attr("data-label") == conn && rect->attr("data-tls") == version) {
        ++found;
        EXPECT_EQ(rect->attr("data-messages"), std::to_string(n));
        EXPECT_EQ(rect->attr("data-percent"), pct);
        EXPECT_NEAR(std::stod(rect->attr("width")), r.get("Percent")->as_number() / 100 * 590, 0.02);
        EXPECT_NE(rect->child("title")->inner_text().find(std::to_string(n) + " messages (" + pct + "%)"),
                  std::string::npos);
      }
    EXPECT_EQ(found, 1) << dir << " " << conn << " " << version;
    auto table = table_cells(*doc->by_id("tls-" + lower + "-table"));
    auto col = std::find(table[0].begin(), table[0].end(), version) - table[0].begin();
    bool row_found = false;
    for (const auto& row : table)
      if (row[0] == conn) {
        row_found = true;
        EXPECT_EQ(row[static_cast<size_t>(col)], std::to_string(n) + " (" + pct + "%)");
      }
    EXPECT_TRUE(row_found) << conn;
  }
  // Segments go from the strongest version to the weakest, left to right.
  auto rects = chart(*doc, "tls-inbound").all("rect");
  ASSERT_GE(rects.size(), 3u);
  EXPECT_EQ(rects[0]->attr("data-tls"), "TLS1.3");
  EXPECT_EQ(rects[1]->attr("data-tls"), "TLS1.2");
  EXPECT_EQ(rects[2]->attr("data-tls"), "None");
  EXPECT_LT(std::stod(rects[0]->attr("x")), std::stod(rects[1]->attr("x")));
  // The table's header lists the versions strongest first.
  auto header = table_cells(*doc->by_id("tls-inbound-table"))[0];
  EXPECT_EQ(header, (std::vector<std::string>{"Connector", "Messages", "TLS1.3", "TLS1.2",
                                               "TLS1.1", "TLS1.0", "None"}));
}

TEST(DashboardHtml, ProtectedInTransitSummary) {
  DashboardInput in = fixture();
  auto doc = render(in);
  const HtmlNode* inbound = doc->by_id("protected")->by_attr("data-direction", "Inbound");
  ASSERT_TRUE(inbound);
  // 558 of 598 inbound messages used TLS.
  EXPECT_EQ(inbound->all("span")[0]->inner_text(), format_percent(558.0 / 598.0 * 100));
  EXPECT_EQ(inbound->all("span")[1]->inner_text(), "598");
  const HtmlNode* outbound = doc->by_id("protected")->by_attr("data-direction", "Outbound");
  EXPECT_EQ(outbound->all("span")[0]->inner_text(), "100.00");
  auto table = table_cells(*doc->by_id("tls-summary-table"));
  const std::vector<Value> summary = tls_usage_records(in.tls_summary, false);
  ASSERT_EQ(table.size(), summary.size() + 1);
  for (size_t i = 0; i < summary.size(); ++i) {
    const Record& r = summary[i].as_record();
    EXPECT_EQ(table[i + 1], (std::vector<std::string>{
                                r.get("Direction")->as_string(), r.get("TlsVersion")->as_string(),
                                r.get("Messages")->to_display(),
                                format_percent(r.get("Percent")->as_number())}));
  }
  for (const HtmlNode* rect : chart(*doc, "tls-summary").all("rect")) {
    bool matched = false;
    for (const Value& v : summary) {
      const Record& r = v.as_record();
      if (r.get("Direction")->as_string() == rect->attr("data-direction") &&
          r.get("TlsVersion")->as_string() == rect->attr("data-tls")) {
        matched = true;
        EXPECT_EQ(rect->attr("data-messages"), r.get("Messages")->to_display());
        EXPECT_EQ(rect->attr("data-percent"), format_percent(r.get("Percent")->as_number()));
      }
    }
    EXPECT_TRUE(matched) << rect->attr("data-tls");
  }
}

TEST(DashboardHtml, InsightsWithRecommendations) {
  DashboardInput in = fixture();
  auto doc = render(in);
  auto articles = doc->by_id("insights")->all("article");
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0]->attr("data-rule"), "Tls10");
  EXPECT_EQ(articles[0]->child("h3")->inner_text(), "TLS 1.0 is above 50%");
  std::string text = articles[0]->inner_text();
  EXPECT_NE(text.find("Inbound · " + kScript), std::string::npos);
  EXPECT_NE(text.find("100.00% of 8 messages (threshold 50.00%)"), std::string::npos);
  EXPECT_NE(text.find("Ask the partner behind <script> to enable TLS 1.2 & later."), std::string::npos);
  auto table = table_cells(*doc->by_id("insights-table"));
  EXPECT_EQ(table[1], (std::vector<std::string>{"Tls10", "Inbound", kScript, "100.00", "50.00", "8"}));
}

// TlsFailures findings count failed handshakes: no percentages, and a peer's
// finding names the peer where others name the connector.
TEST(DashboardHtml, FailureInsightsCountHandshakesAndNameThePeer) {
  DashboardInput in = fixture();
  InsightFinding peer = insight("TlsFailures", "TLS handshake failures over 10 or doubled", "Outbound", Value(""),
                                11, 10, 11, "11 failed TLS handshakes with fabrikam.com");
  peer.failures = true;
  peer.peer = "fabrikam.com";
  in.insights = {peer};
  auto doc = render(in);
  auto articles = doc->by_id("insights")->all("article");
  ASSERT_EQ(articles.size(), 1u);
  std::string text = articles[0]->inner_text();
  EXPECT_NE(text.find("Outbound · fabrikam.com"), std::string::npos) << text;
  EXPECT_NE(text.find("11 failed TLS handshakes (threshold 10)."), std::string::npos) << text;
  auto table = table_cells(*doc->by_id("insights-table"));
  EXPECT_EQ(table[1], (std::vector<std::string>{"TlsFailures", "Outbound", "fabrikam.com", "11", "10", "11"}));
}

TEST(DashboardHtml, NoInsightSaysSo) {
  DashboardInput in = fixture();
  in.insights.clear();
  auto doc = render(in);
  EXPECT_NE(doc->by_id("insights")->inner_text().find("No insight fired"), std::string::npos);
}

TEST(DashboardHtml, HostileNamesAreEscaped) {
  DashboardInput in = fixture();
  std::string html = render_dashboard_html(in);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<relay>"), std::string::npos);
  EXPECT_EQ(html.find("<prod>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Fabrikam &quot;Partner&quot; &amp; &#39;Co&#39; &lt;relay&gt;"), std::string::npos);
  // And they decode back to exactly the connector's name.
  auto doc = render(in);
  EXPECT_TRUE(doc->by_attr("data-connector", kQuotes));
  EXPECT_TRUE(doc->by_attr("data-label", kScript));
  EXPECT_EQ(doc->by_id("store")->inner_text(), in.store);
}

TEST(DashboardHtml, InvalidUtf8AndControlCharactersAreReplaced) {
  DashboardInput in = fixture();
  in.mail_flow.push_back(flow("2026-11-20", "Inbound", Value(std::string("bad\xff\x01name")), 5));
  auto doc = render(in);
  EXPECT_TRUE(doc->by_attr("data-connector", "bad\xEF\xBF\xBDname"));
  EXPECT_EQ(html_escape("a\x7f\x1b[31mb"), "a[31mb");
  EXPECT_EQ(html_escape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

// U+202E in a connector name made it read reversed in the report: bidi
// controls are replaced like C1 controls.
TEST(DashboardHtml, BidiOverridesAreNeutralised) {
  EXPECT_EQ(html_escape("abc\u202Efdp.exe"), "abc\xEF\xBF\xBD" "fdp.exe");
  EXPECT_EQ(html_escape("x\u2066y\u2069\u200F"), "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(html_escape("caf\u00E9 \u4E2D"), "caf\u00E9 \u4E2D");  // other text stays
}

TEST(DashboardHtml, MakesNoExternalRequest) {
  std::string html = render_dashboard_html(fixture());
  auto doc = render(fixture());
  std::regex remote(R"(^\s*(https?:|//|ftp:|file:))", std::regex::icase);
  std::function<void(const HtmlNode&)> walk = [&](const HtmlNode& n) {
    EXPECT_NE(n.tag, "script");
    EXPECT_NE(n.tag, "iframe");
    EXPECT_NE(n.tag, "img");
    EXPECT_NE(n.tag, "object");
    for (const auto& [name, value] : n.attrs) {
      if (name == "src" || name == "href" || name == "xlink:href" || name == "action" ||
          name == "poster" || name == "srcset") {
        EXPECT_FALSE(std::regex_search(value, remote)) << n.tag << " " << name << "=" << value;
      }
      if (name == "style") {
        EXPECT_EQ(value.find("url("), std::string::npos) << value;
      }
      if (name.rfind("on", 0) == 0) ADD_FAILURE() << "event handler " << name;
    }
    for (const auto& c : n.children) walk(*c);
  };
  walk(*doc);
  for (const HtmlNode* link : doc->all("link")) EXPECT_EQ(link->attr("href"), "data:,");
  std::string css = doc->all("style").at(0)->inner_text();
  EXPECT_EQ(css.find("@import"), std::string::npos);
  EXPECT_EQ(css.find("url("), std::string::npos);
  EXPECT_EQ(css.find("@font-face"), std::string::npos);
  // The browser is told to refuse any request the page might still make.
  const HtmlNode* csp = doc->by_attr("http-equiv", "Content-Security-Policy");
  ASSERT_TRUE(csp);
  EXPECT_EQ(csp->attr("content").rfind("default-src 'none'", 0), 0u);
}

TEST(DashboardHtml, PageStructure) {
  auto doc = render(fixture());
  const HtmlNode* html = doc->child("html");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->attr("lang"), "en");
  EXPECT_EQ(html->child("head")->child("meta")->attr("charset"), "utf-8");
  EXPECT_EQ(doc->by_id("range")->inner_text(), "2026-11-16 – 2026-11-22 (7 days, UTC)");
  EXPECT_EQ(doc->by_id("generated")->inner_text(), "2026-11-23T13:00:00Z");
  EXPECT_NE(doc->all("style").at(0)->inner_text().find("@media print"), std::string::npos);
  // Every chart has an accessible name and a table follows it.
  std::vector<const HtmlNode*> charts;
  for (const HtmlNode* svg : doc->all("svg"))
    if (svg->has("data-chart")) charts.push_back(svg);
  for (const HtmlNode* svg : charts) {
    EXPECT_EQ(svg->attr("role"), "img");
    EXPECT_FALSE(svg->attr("aria-label").empty()) << svg->attr("data-chart");
    EXPECT_EQ(svg->child("title")->inner_text(), svg->attr("aria-label"));
    EXPECT_TRUE(doc->by_id(svg->attr("data-chart") + "-table")) << svg->attr("data-chart");
  }
  EXPECT_EQ(charts.size(), 5u);  // summary, 2 mail flow, 2 TLS usage
}

TEST(DashboardHtml, OneDirectionOnly) {
  DashboardInput in = fixture();
  in.direction = "Outbound";
  auto inbound = [](const auto& row) { return row.direction != Direction::Outbound; };
  std::erase_if(in.mail_flow, inbound);
  std::erase_if(in.tls_summary, inbound);
  std::erase_if(in.tls_by_connector, inbound);
  auto doc = render(in);
  EXPECT_FALSE(doc->by_attr("data-chart", "mailflow-inbound"));
  EXPECT_TRUE(doc->by_attr("data-chart", "mailflow-outbound"));
  EXPECT_FALSE(doc->by_id("protected")->by_attr("data-direction", "Inbound"));
}

TEST(DashboardHtml, EmptyStoreRendersEmptyStates) {
  DashboardInput in = fixture();
  in.mail_flow.clear();
  in.tls_summary.clear();
  in.tls_by_connector.clear();
  in.insights.clear();
  auto doc = render(in);
  EXPECT_FALSE(doc->by_attr("role", "img"));
  EXPECT_NE(doc->by_id("mailflow")->inner_text().find("No inbound messages in this range."),
            std::string::npos);
}

TEST(DashboardHtml, SameInputSameBytes) {
  EXPECT_EQ(render_dashboard_html(fixture()), render_dashboard_html(fixture()));
}

// Typed rows cannot lack a property; a row outside the range is still a
// producer's bug, named.
TEST(DashboardHtml, ContractViolationsNameTheRecord) {
  DashboardInput in = fixture();
  in.mail_flow.push_back(flow("2026-11-23", "Inbound", Value("A"), 3));
  try {
    render_dashboard_html(in);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Export-MailFlowReport: record 11 of Get-ConnectorReport is dated "
                           "2026-11-23, outside the range 2026-11-16 – 2026-11-22 (7 days, UTC)");
  }
}

TEST(SvgChart, NiceScale) {
  EXPECT_EQ(nice_scale(0).max, 4);
  EXPECT_EQ(nice_scale(7).max, 8);
  EXPECT_EQ(nice_scale(7).step, 2);
  EXPECT_EQ(nice_scale(240).max, 300);
  EXPECT_EQ(nice_scale(240).step, 100);
  EXPECT_EQ(nice_scale(1234).max, 1500);
  EXPECT_EQ(nice_scale(100).max, 100);
}

// -Culture: the page's words, numbers and dates in the culture, its data-*
// attributes and escaping unchanged.
TEST(DashboardHtml, CultureTranslatesWordsNumbersAndDates) {
  DashboardInput in = fixture();
  in.culture = Culture::get("es-ES");
  std::string html = render_dashboard_html(in);
  EXPECT_NE(html.find("<html lang=\"es-ES\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  auto doc = render(in);
  EXPECT_EQ(doc->by_id("range")->inner_text(), "16/11/26 – 22/11/26 (7 días, UTC)");
  auto articles = doc->by_id("insights")->all("article");
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0]->attr("data-rule"), "Tls10");
  std::string text = articles[0]->inner_text();
  EXPECT_NE(text.find("Entrante · " + kScript), std::string::npos);
  EXPECT_NE(text.find("100,00\u00a0% de 8 mensajes (umbral: 50,00\u00a0%)"), std::string::npos);
  auto table = table_cells(*doc->by_id("insights-table"));
  EXPECT_EQ(table[0], (std::vector<std::string>{"Regla", "Dirección", "Conector", "Valor (%)", "Umbral (%)", "Mensajes"}));
  EXPECT_EQ(table[1], (std::vector<std::string>{"Tls10", "Entrante", kScript, "100,00", "50,00", "8"}));
  // The culture in force outside the page is untouched.
  EXPECT_EQ(current_culture().name(), "en");
  EXPECT_NE(render_dashboard_html(fixture()).find("<html lang=\"en\">"), std::string::npos);
}

TEST(DashboardHtml, UnknownTlsNoteInTheCulture) {
  EXPECT_EQ(unknown_tls_note(1), "1 message without TLS information");
  EXPECT_EQ(unknown_tls_note(1234), "1234 messages without TLS information");
  CultureScope es(Culture::get("es-ES"));
  EXPECT_EQ(unknown_tls_note(1234), "1.234 mensajes sin información de TLS");
  CultureScope zh(Culture::get("zh-TW"));
  EXPECT_EQ(unknown_tls_note(3), "3 封郵件沒有 TLS 資訊");
}

}  // namespace mailflow
