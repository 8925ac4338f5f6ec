// DelimitedRecord::take / finish: the one mapping of a record's state to
// rejects that every Exchange reader uses.
#include "ingest/delimited_record.h"

#include <gtest/gtest.h>

#include "reader_harness.h"

namespace mailflow {

using testing::CollectingSink;

TEST(DelimitedRecord, TakeGivesCompleteRecordsAndWaitsForOpenOnes) {
  DelimitedRecord r;
  CollectingSink sink;
  EXPECT_TRUE(r.take(R"(a,"b ""c""",d)", 1, sink));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r.field(1), R"(b "c")");
  EXPECT_FALSE(r.take(R"(x,"two)", 2, sink));
  EXPECT_TRUE(r.take(R"(lines",y)", 3, sink));
  EXPECT_EQ(r.first_line(), 2);
  EXPECT_EQ(r.field(1), "two\nlines");
  EXPECT_TRUE(sink.rejects.empty());
}

TEST(DelimitedRecord, TakeRejectsBadQuotingAndOverlongRecords) {
  DelimitedRecord r;
  CollectingSink sink;
  EXPECT_FALSE(r.take(R"(a,"b"c,d)", 7, sink));
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 7);
  EXPECT_EQ(sink.rejects[0].reason, "text after a closing quote (RFC 4180 quoting)");
  EXPECT_EQ(sink.rejects[0].text, R"(a,"b"c,d)");

  std::string big(kMaxRecordBytes / 2, 'x');
  EXPECT_FALSE(r.take("\"" + big, 8, sink));
  EXPECT_FALSE(r.take(big + "y", 9, sink));  // too long while still open
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[1].line, 8);
  EXPECT_EQ(sink.rejects[1].reason, "record longer than " + std::to_string(kMaxRecordBytes) + " bytes");
  EXPECT_FALSE(r.open());  // forgotten: the next line starts a record
  EXPECT_TRUE(r.take("p,q", 10, sink));
  EXPECT_EQ(r.first_line(), 10);
}

TEST(DelimitedRecord, FinishRejectsARecordOpenAtTheEndOfTheFile) {
  DelimitedRecord r;
  CollectingSink sink;
  r.finish(sink);
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_FALSE(r.take(R"(a,"never closed)", 4, sink));
  r.finish(sink);
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 4);
  EXPECT_EQ(sink.rejects[0].reason, "the file ends inside a quoted field");
  EXPECT_FALSE(r.open());
}

}  // namespace mailflow
