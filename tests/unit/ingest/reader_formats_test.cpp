// The format list: every format Import-MessageTrace names has a reader and a
// detector, and -Format takes only those names.
#include <gtest/gtest.h>

#include "core/error.h"
#include "import_fixture.h"
#include "ingest/importer.h"
#include "ingest/trace_reader.h"

namespace mailflow {

TEST(ReaderFormats, EveryFormatHasAReaderAndADetector) {
  ASSERT_FALSE(reader_formats().empty());
  for (const ReaderFormat& f : reader_formats()) {
    EXPECT_TRUE(static_cast<bool>(f.make)) << f.name;
    EXPECT_TRUE(static_cast<bool>(f.detect)) << f.name;
    EXPECT_EQ(find_reader_format(f.name), &f) << f.name;
    ReaderOptions o;
    EXPECT_NE(f.make(o), nullptr) << f.name;
  }
}

class ReaderFormatNames : public testing::ImportFixture {};

TEST_F(ReaderFormatNames, UnknownFormatNameIsRefusedByName) {
  std::string file = write_file("one.csv", std::string(testing::kCanonicalHeader) +
                                               "2026-11-16T08:15:02Z,Inbound,,TLS1.2,,a@x.example,b@contoso.com,,,1,,\n");
  ImportOptions o;
  o.format = "ExchangeMessageTracking";
  try {
    import_trace_file(*store_, file, o);
    FAIL() << "an unknown -Format name was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "UnknownFormat");
    EXPECT_STREQ(e.what(), "unknown import format 'ExchangeMessageTracking'");
  }
  // Every listed name is taken (case-insensitively) and reads.
  o.format = "csv";
  EXPECT_EQ(import_trace_file(*store_, file, o).imported, 1);
}

}  // namespace mailflow
