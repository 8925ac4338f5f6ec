// Format-Chart over records shaped exactly like the report cmdlets' output
// (SPEC 5), compared with golden files in both glyph sets.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cmdlets/builtin.h"
#include "host/session.h"
#include "core/error.h"
#include "render/golden.h"
#include "core/text.h"
#include "render/terminal_chart.h"

namespace mailflow {

namespace {

Value tls_row(const char* dir, Value connector, const char* tls, std::int64_t messages, double pct) {
  return make_record({"Direction", "Connector", "TlsVersion", "Messages", "Percent"},
                     {Value(dir), std::move(connector), Value(tls), Value(messages), Value(pct)});
}

// Get-TlsUsage -ByConnector, rows deliberately not in TLS order for one
// connector: the chart must still stack TLS1.3 first.
std::vector<Value> tls_by_connector() {
  return {
      tls_row("Inbound", Value("Contoso Partner"), "TLS1.2", 640, 64.0),
      tls_row("Inbound", Value("Contoso Partner"), "TLS1.3", 300, 30.0),
      tls_row("Inbound", Value("Contoso Partner"), "None", 60, 6.0),
      tls_row("Inbound", Value("Legacy Fax Relay"), "TLS1.0", 212, 53.0),
      tls_row("Inbound", Value("Legacy Fax Relay"), "None", 118, 29.5),
      tls_row("Inbound", Value("Legacy Fax Relay"), "TLS1.1", 70, 17.5),
      tls_row("Outbound", Value(nullptr), "TLS1.3", 1234, 87.33),
      tls_row("Outbound", Value(nullptr), "TLS1.2", 179, 12.67),
  };
}

Value day_row(const char* date, const char* dir, Value connector, std::int64_t messages) {
  return make_record({"Date", "Direction", "Connector", "Messages"},
                     {Value(Date{*parse_date(date)}), Value(dir), std::move(connector),
                      Value(messages)});
}

// Get-ConnectorReport (All Mail Flow): one row per day, direction, connector.
std::vector<Value> connector_report() {
  return {
      day_row("2026-11-16", "Inbound", Value("Contoso Partner"), 120),
      day_row("2026-11-16", "Inbound", Value(nullptr), 14),
      day_row("2026-11-17", "Inbound", Value("Contoso Partner"), 240),
      day_row("2026-11-18", "Inbound", Value("Contoso Partner"), 60),
      day_row("2026-11-18", "Inbound", Value(nullptr), 3),
      day_row("2026-11-20", "Inbound", Value("Contoso Partner"), 180),
      day_row("2026-11-21", "Inbound", Value("Contoso Partner"), 30),
      day_row("2026-11-22", "Inbound", Value("Contoso Partner"), 200),
      day_row("2026-11-22", "Inbound", Value(nullptr), 28),
  };
}

class FormatChart : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("LC_ALL", "C.UTF-8", 1);
    register_builtin_cmdlets(registry_);
    session_.registry = &registry_;
    session_.terminal_width = 72;
  }
  void TearDown() override { unsetenv("LC_ALL"); }

  std::vector<std::string> run(const std::vector<Value>& input, BoundParameters params) {
    const CmdletSpec* spec = registry_.find("Format-Chart");
    EXPECT_NE(spec, nullptr);
    auto out = spec->run(session_, params, std::make_unique<VectorStream>(input));
    std::vector<std::string> lines;
    for (const Value& v : collect(*out)) {
      EXPECT_TRUE(v.is_string());
      lines.push_back(v.as_string());
    }
    return lines;
  }

  Registry registry_;
  Session session_;
};

BoundParameters params(const char* value, std::vector<Value> label) {
  BoundParameters p;
  p.set("Value", Value(value));
  p.set("Label", Value(Array(std::move(label))));
  p.set("Date", Value("Date"));
  return p;
}

}  // namespace

TEST(LocaleDetection, FirstSetVariableDecides) {
  auto env = [](std::map<std::string, const char*> vars) {
    return [vars](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second;
    };
  };
  EXPECT_TRUE(locale_is_utf8(env({{"LANG", "en_US.UTF-8"}})));
  EXPECT_TRUE(locale_is_utf8(env({{"LC_CTYPE", "de_DE.utf8"}, {"LANG", "C"}})));
  EXPECT_FALSE(locale_is_utf8(env({{"LC_ALL", "C"}, {"LANG", "en_US.UTF-8"}})));
  EXPECT_TRUE(locale_is_utf8(env({{"LC_ALL", ""}, {"LANG", "C.UTF-8"}})));
  EXPECT_FALSE(locale_is_utf8(env({{"LANG", "en_US.ISO-8859-1"}})));
  EXPECT_FALSE(locale_is_utf8(env({})));
}

TEST_F(FormatChart, StackedTlsBarsUnicode) {
  BoundParameters p = params("Percent", {Value("Direction"), Value("Connector")});
  p.set("Stack", Value("TlsVersion"));
  testing::expect_golden("charts/tls_stacked.utf8.txt", testing::joined(run(tls_by_connector(), p)));
}

TEST_F(FormatChart, StackedTlsBarsAscii) {
  BoundParameters p = params("Percent", {Value("Direction"), Value("Connector")});
  p.set("Stack", Value("TlsVersion"));
  p.set("Ascii", Value(true));
  testing::expect_golden("charts/tls_stacked.ascii.txt", testing::joined(run(tls_by_connector(), p)));
}

TEST_F(FormatChart, NonUtf8LocaleFallsBackToAscii) {
  setenv("LC_ALL", "C", 1);
  BoundParameters p = params("Percent", {Value("Direction"), Value("Connector")});
  p.set("Stack", Value("TlsVersion"));
  testing::expect_golden("charts/tls_stacked.ascii.txt", testing::joined(run(tls_by_connector(), p)));
}

TEST_F(FormatChart, PlainBarsSumPerLabel) {
  auto lines = run(connector_report(), params("Messages", {Value("Connector")}));
  testing::expect_golden("charts/messages_bars.utf8.txt", testing::joined(lines));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("830"), std::string::npos);  // 120+240+60+180+30+200
  EXPECT_NE(lines[1].find(" 45"), std::string::npos);  // (none): 14+3+28
}

TEST_F(FormatChart, PlainBarsAscii) {
  BoundParameters p = params("Messages", {Value("Connector")});
  p.set("Ascii", Value(true));
  testing::expect_golden("charts/messages_bars.ascii.txt", testing::joined(run(connector_report(), p)));
}

TEST_F(FormatChart, SparklinePerConnectorUnicode) {
  BoundParameters p = params("Messages", {Value("Connector")});
  p.set("Sparkline", Value(true));
  testing::expect_golden("charts/daily_sparkline.utf8.txt", testing::joined(run(connector_report(), p)));
}

TEST_F(FormatChart, SparklinePerConnectorAscii) {
  BoundParameters p = params("Messages", {Value("Connector")});
  p.set("Sparkline", Value(true));
  p.set("Ascii", Value(true));
  testing::expect_golden("charts/daily_sparkline.ascii.txt", testing::joined(run(connector_report(), p)));
}

TEST_F(FormatChart, SparklineBucketsDaysWhenNarrow) {
  std::vector<Value> rows;
  for (int d = 0; d < 60; ++d)
    rows.push_back(day_row(format_date(*parse_date("2026-09-24") + d).c_str(), "Inbound",
                           Value("Contoso Partner"), d % 7 == 5 || d % 7 == 6 ? 10 : 100));
  BoundParameters p = params("Messages", {Value("Connector")});
  p.set("Sparkline", Value(true));
  p.set("Width", Value(std::int64_t{60}));
  auto lines = run(rows, p);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "2026-09-24 – 2026-11-22, 60 days, 3 days per character");
  for (const std::string& l : lines) EXPECT_LE(display_width(l), 60u) << l;
}

TEST_F(FormatChart, LinesFitTheWidth) {
  for (int width : {20, 40, 72, 120}) {
    BoundParameters p = params("Percent", {Value("Direction"), Value("Connector")});
    p.set("Stack", Value("TlsVersion"));
    p.set("Width", Value(std::int64_t{width}));
    for (const std::string& l : run(tls_by_connector(), p))
      EXPECT_LE(display_width(l), static_cast<size_t>(std::max(width, 4 + 10 + 6 + 4))) << width << ": " << l;
  }
}

TEST_F(FormatChart, StackedSegmentsAddUpToTheBar) {
  BoundParameters p = params("Percent", {Value("Connector")});
  p.set("Stack", Value("TlsVersion"));
  p.set("Ascii", Value(true));
  p.set("Width", Value(std::int64_t{60}));
  auto lines = run(tls_by_connector(), p);
  ASSERT_EQ(lines.size(), 4u);  // legend + 3 connectors
  // Every connector's percentages add up to 100: every bar has the same length.
  auto bar_len = [](const std::string& l) {
    size_t n = 0;
    for (char c : l.substr(18)) n += std::string("#=+-.").find(c) != std::string::npos;
    return n;
  };
  EXPECT_EQ(bar_len(lines[1]), bar_len(lines[2]));
  EXPECT_EQ(bar_len(lines[1]), bar_len(lines[3]));
  EXPECT_EQ(lines[0], "# TLS1.3  = TLS1.2  + TLS1.1  - TLS1.0  . None");
}

TEST_F(FormatChart, NoInputDrawsNothing) {
  EXPECT_TRUE(run({}, params("Messages", {Value("Connector")})).empty());
}

TEST_F(FormatChart, MissingPropertyIsNamed) {
  try {
    run(connector_report(), params("Percent", {Value("Connector")}));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Format-Chart: input record 1 has no property 'Percent'");
  }
}

TEST_F(FormatChart, NonNumericValueIsRefused) {
  try {
    run(tls_by_connector(), params("TlsVersion", {Value("Connector")}));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Format-Chart: -Value TlsVersion of input record 1 is 'TLS1.2', not a number");
  }
}

TEST_F(FormatChart, NegativeValueIsRefused) {
  std::vector<Value> rows = {day_row("2026-11-16", "Inbound", Value("A"), -3)};
  EXPECT_THROW(run(rows, params("Messages", {Value("Connector")})), Error);
}

TEST_F(FormatChart, FormattedTextIsRefused) {
  try {
    run({Value("Date  Direction")}, params("Messages", {Value("Connector")}));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "InvalidChartInput");
  }
}

TEST_F(FormatChart, SparklineNeedsDates) {
  BoundParameters p = params("Messages", {Value("Connector")});
  p.set("Sparkline", Value(true));
  try {
    run(tls_by_connector(), p);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Format-Chart: input record 1 has no property 'Date'");
  }
  p.set("Stack", Value("TlsVersion"));
  EXPECT_THROW(run(connector_report(), p), Error);
}

}  // namespace mailflow
