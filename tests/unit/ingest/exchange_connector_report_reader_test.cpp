#include "ingest/exchange_connector_report_reader.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "reader_harness.h"

namespace mailflow {
namespace {

struct TotalsSink : testing::CollectingSink {
  void rollup_total(const RollupTotal& t, std::int64_t) override { totals.push_back(t); }
  std::vector<RollupTotal> totals;
};

const char* kHeader =
    "\"Date\",\"Connector direction and name\",\"Connector type\",\"Forced TLS\",\"No TLS\",\"TLS 1.0\","
    "\"TLS 1.1\",\"TLS 1.2\",\"Volume\"\n";

TotalsSink read(const std::string& rows) {
  ExchangeConnectorReportReader reader({});
  TotalsSink sink;
  testing::feed(reader, kHeader + rows, sink);
  return sink;
}

TEST(ExchangeConnectorReportReader, SharesBecomeCountsThatAddUpToVolume) {
  // 2.5% and 97.5% of 10: 0.25 and 9.75 -> 0 and 10 by the largest remainder.
  TotalsSink s = read("\"11/11/2026\",\"Inbound - Internet\",\"Internet\",\"No\",\"2.50%\",\"0.00%\",\"0.00%\","
                      "\"97.50%\",\"10\"\n"
                      "\"11/11/2026\",\"Outbound - Outbound to Contoso on-premises\",\"OnPremises\",\"Yes\","
                      "\"0.00%\",\"60.00%\",\"0.00%\",\"40.00%\",\"5\"\n");
  ASSERT_TRUE(s.rejects.empty()) << s.rejects[0].reason;
  ASSERT_EQ(s.totals.size(), 3u);
  EXPECT_EQ(s.totals[0].tls, TlsVersion::Tls12);
  EXPECT_EQ(s.totals[0].messages, 10);
  EXPECT_FALSE(s.totals[0].connector);
  EXPECT_EQ(s.totals[0].direction, Direction::Inbound);
  EXPECT_EQ(s.totals[0].day, *parse_date("2026-11-11"));
  EXPECT_EQ(s.totals[1].connector, "Outbound to Contoso on-premises");
  EXPECT_EQ(s.totals[1].tls, TlsVersion::Tls10);
  EXPECT_EQ(s.totals[1].messages, 3);
  EXPECT_EQ(s.totals[2].messages, 2);
}

TEST(ExchangeConnectorReportReader, PlainCountsMustAddUpToVolume) {
  TotalsSink s = read("\"2026-11-10\",\"Inbound - Fabrikam\",\"Partner\",\"Yes\",\"1\",\"0\",\"0\",\"6\",\"7\"\n"
                      "\"2026-11-10\",\"Inbound - Fabrikam\",\"Partner\",\"Yes\",\"1\",\"0\",\"0\",\"6\",\"8\"\n");
  ASSERT_EQ(s.totals.size(), 2u);
  EXPECT_EQ(s.totals[0].tls, TlsVersion::None);
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_EQ(s.rejects[0].line, 3);
  EXPECT_NE(s.rejects[0].reason.find("Volume"), std::string::npos) << s.rejects[0].reason;
}

TEST(ExchangeConnectorReportReader, BadValuesNameTheColumn) {
  TotalsSink s = read("\"13/40/2026\",\"Inbound - Internet\",\"Internet\",\"No\",\"0%\",\"0%\",\"0%\",\"100%\",\"1\"\n"
                      "\"11/10/2026\",\"Sideways - X\",\"Partner\",\"No\",\"0%\",\"0%\",\"0%\",\"100%\",\"1\"\n"
                      "\"11/10/2026\",\"Inbound - X\",\"Partner\",\"No\",\"abc\",\"0%\",\"0%\",\"100%\",\"1\"\n"
                      "\"11/10/2026\",\"Inbound - X\",\"Partner\",\"No\",\"10%\",\"0%\",\"0%\",\"10%\",\"4\"\n");
  ASSERT_EQ(s.rejects.size(), 4u);
  EXPECT_NE(s.rejects[0].reason.find("Date"), std::string::npos);
  EXPECT_NE(s.rejects[1].reason.find("Connector direction and name"), std::string::npos);
  EXPECT_NE(s.rejects[2].reason.find("No TLS"), std::string::npos);
  EXPECT_NE(s.rejects[3].reason.find("20"), std::string::npos) << s.rejects[3].reason;
  EXPECT_TRUE(s.totals.empty());
}

// Found by fuzz_exchange_connector_report_reader (issue 16): a year of nine
// digits overflowed days_from_civil; counts beyond 64 bits (1e30, or 9e18
// twice) and a share of 1e300% were cast or summed out of range. Each is a
// reject naming the column.
TEST(ExchangeConnectorReportReader, OutOfRangeDatesAndCountsAreRejects) {
  auto row = [](const char* date, const char* no_tls, const char* tls12, const char* volume) {
    return std::string("\"") + date + "\",\"Inbound - X\",\"Partner\",\"No\",\"" + no_tls + "\",\"0\",\"0\",\"" +
           tls12 + "\",\"" + volume + "\"\n";
  };
  TotalsSink s = read(row("11/10/202620262", "0", "1", "1") + row("11/10/2026", "0", "1e30", "1e30") +
                      row("11/10/2026", "9e18", "9e18", "5") + row("11/10/2026", "1e300%", "0%", "5") +
                      row("11/10/2026", "0", "1e30", "5") + row("11/10/2026", "0", "1099511627776", "1099511627776"));
  ASSERT_EQ(s.rejects.size(), 5u);
  EXPECT_NE(s.rejects[0].reason.find("bad Date '11/10/202620262'"), std::string::npos) << s.rejects[0].reason;
  EXPECT_NE(s.rejects[1].reason.find("bad Volume '1e30'"), std::string::npos) << s.rejects[1].reason;
  EXPECT_NE(s.rejects[2].reason.find("bad No TLS '9e18'"), std::string::npos) << s.rejects[2].reason;
  EXPECT_NE(s.rejects[3].reason.find("bad No TLS '1e300%'"), std::string::npos) << s.rejects[3].reason;
  EXPECT_NE(s.rejects[4].reason.find("bad TLS 1.2 '1e30'"), std::string::npos) << s.rejects[4].reason;
  ASSERT_EQ(s.totals.size(), 1u);  // 2^40 itself is still a count
  EXPECT_EQ(s.totals[0].messages, std::int64_t{1} << 40);
}

TEST(ExchangeConnectorReportReader, DetectsTheExportOnly) {
  std::string header(kHeader);
  header.pop_back();  // head lines come without their line break
  EXPECT_TRUE(ExchangeConnectorReportReader::looks_like({header}));
  EXPECT_FALSE(ExchangeConnectorReportReader::looks_like({"received,direction,sender,recipient"}));
}

}  // namespace
}  // namespace mailflow
