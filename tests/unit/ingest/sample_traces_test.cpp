#include "ingest/sample_traces.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "import_fixture.h"
#include "ingest/importer.h"

namespace mailflow {

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

SampleTraceOptions shipped_options() {
  SampleTraceOptions o;
  o.end_day = *parse_date("2026-11-22");
  o.days = 30;
  o.messages_per_day = 200;
  o.seed = 1;
  return o;
}

}  // namespace

class SampleTraces : public testing::ImportFixture {};

TEST_F(SampleTraces, SameOptionsSameBytesOtherSeedOtherData) {
  SampleTraceOptions o = shipped_options();
  o.days = 3;
  write_sample_traces(path("a.csv"), o);
  write_sample_traces(path("b.csv"), o);
  o.seed = 2;
  write_sample_traces(path("c.csv"), o);
  EXPECT_EQ(slurp(path("a.csv")), slurp(path("b.csv")));
  EXPECT_NE(slurp(path("a.csv")), slurp(path("c.csv")));
}

// examples/sample-traces.csv is exactly what the generator writes for the
// documented options, on this platform as on the one that produced it.
TEST_F(SampleTraces, ShippedExampleIsReproducible) {
  SampleTraceResult r = write_sample_traces(path("again.csv"), shipped_options());
  EXPECT_EQ(format_date(r.start_day), "2026-10-24");
  std::string shipped = slurp(std::string(MAILFLOW_EXAMPLES) + "/sample-traces.csv");
  ASSERT_FALSE(shipped.empty());
  EXPECT_TRUE(shipped == slurp(path("again.csv")));
  EXPECT_LT(shipped.size(), 2u * 1024 * 1024);
}

TEST_F(SampleTraces, ImportsCleanlyAndHasTheDocumentedShape) {
  std::string file = path("sample.csv");
  SampleTraceResult r = write_sample_traces(file, shipped_options());
  ImportSummary s = import_trace_file(*store_, file, {});
  EXPECT_EQ(s.imported, r.records);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_EQ(s.duplicates, 0);
  expect_rollup_matches_traces();

  EXPECT_EQ(rows("SELECT DISTINCT direction || ':' || coalesce(connector, '(none)') FROM traces ORDER BY 1"),
            (std::vector<std::string>{"0:(none)", "0:Contoso On-Premises Inbound",
                                      "0:Fabrikam Partner Inbound", "0:Legacy App Relay",
                                      "1:(none)", "1:Contoso On-Premises Outbound",
                                      "1:Fabrikam Partner Outbound"}));
  auto share = [&](const std::string& connector, int tls) {
    return scalar("SELECT 100 * sum(tls = " + std::to_string(tls) +
                  ") / count(*) FROM traces WHERE status = 'Delivered' AND connector = '" + connector + "'");
  };
  EXPECT_GT(share("Fabrikam Partner Inbound", 10), 50);  // "TLS 1.0 is above 50%"
  EXPECT_GT(share("Legacy App Relay", 0), 25);           // "No TLS is over 25%"
  EXPECT_EQ(share("Contoso On-Premises Inbound", 0), 0);
  EXPECT_LT(share("Fabrikam Partner Inbound", 0), 25);
  EXPECT_LT(share("Legacy App Relay", 10), 50);
  EXPECT_GT(scalar("SELECT count(*) FROM traces WHERE status = 'Failed'"), 0);
  EXPECT_GT(scalar("SELECT count(*) FROM traces WHERE status = 'Pending'"), 0);
  // Weekends are quieter: Saturday 2026-11-21 against Friday 2026-11-20.
  std::int64_t friday = scalar("SELECT count(*) FROM traces WHERE received / 86400 = " +
                               std::to_string(*parse_date("2026-11-20")));
  std::int64_t saturday = scalar("SELECT count(*) FROM traces WHERE received / 86400 = " +
                                 std::to_string(*parse_date("2026-11-21")));
  EXPECT_LT(saturday * 2, friday);
  // Business hours: 09:00-10:00 busier than 03:00-04:00.
  EXPECT_GT(scalar("SELECT count(*) FROM traces WHERE received % 86400 / 3600 = 9"),
            5 * scalar("SELECT count(*) FROM traces WHERE received % 86400 / 3600 = 3"));
}

TEST_F(SampleTraces, UnwritablePathIsAnErrorAndLeavesNoFile) {
  std::string file = path("no-such-dir/sample.csv");
  try {
    write_sample_traces(file, shipped_options());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "FileUnwritable");
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(file + ".partial"));
}

}  // namespace mailflow
