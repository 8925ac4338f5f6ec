#include "ingest/importer.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "core/error.h"
#include "import_fixture.h"

namespace mailflow {

using testing::ImportFixture;
using testing::kCanonicalHeader;

namespace {

// Ten realistic records over two days and three connectors.
std::string ten_records() {
  std::string text = kCanonicalHeader;
  const char* rows[] = {
      "2026-11-16T08:15:02Z,Inbound,Fabrikam Partner Inbound,TLS1.0,TLS_RSA_WITH_AES_128_CBC_SHA,"
      "olivia.hart@fabrikam.com,megan.bowen@contoso.com,mail.fabrikam.com,203.0.113.25,48213,Delivered,"
      "<CAF8a1@mail.fabrikam.com>",
      "2026-11-16T08:17:44Z,Inbound,Fabrikam Partner Inbound,TLS1.2,ECDHE-RSA-AES256-GCM-SHA384,"
      "li.wei@fabrikam.com,alex.wilber@contoso.com,mail.fabrikam.com,203.0.113.25,10022,Delivered,"
      "<CAF8a2@mail.fabrikam.com>",
      "2026-11-16T09:01:10Z,Outbound,Contoso On-Premises Outbound,TLS1.3,TLS_AES_256_GCM_SHA384,"
      "megan.bowen@contoso.com,jon@tailspintoys.com,mx.tailspintoys.com,198.51.100.40,5120,Delivered,"
      "<DM6PR01@contoso.com>",
      "2026-11-16T09:05:00Z,Inbound,Legacy App Relay,None,,scanner@contoso.com,it@contoso.com,"
      "app01.contoso.local,10.20.1.15,734221,Delivered,<scan-0001@app01>",
      "2026-11-16T11:30:12Z,Inbound,,TLS1.2,ECDHE-RSA-AES128-GCM-SHA256,news@northwind.example,"
      "megan.bowen@contoso.com,mail.northwind.example,192.0.2.10,88310,Delivered,<n1@northwind.example>",
      "2026-11-17T07:59:59Z,Outbound,,TLS1.2,ECDHE-RSA-AES256-GCM-SHA384,alex.wilber@contoso.com,"
      "sam@adatum.example,mx1.adatum.example,192.0.2.77,2048,Failed,<DM6PR02@contoso.com>",
      "2026-11-17T08:00:01Z,Inbound,Legacy App Relay,None,,printer@contoso.com,hr@contoso.com,"
      "prn02.contoso.local,10.20.1.31,120455,Delivered,<prn-77@prn02>",
      "2026-11-17T10:10:10Z,Inbound,Fabrikam Partner Inbound,TLS1.0,TLS_RSA_WITH_AES_128_CBC_SHA,"
      "olivia.hart@fabrikam.com,lee.gu@contoso.com,mail.fabrikam.com,203.0.113.25,3301,Delivered,"
      "<CAF8a3@mail.fabrikam.com>",
      "2026-11-17T12:00:00Z,Outbound,Contoso On-Premises Outbound,TLS1.2,ECDHE-RSA-AES256-GCM-SHA384,"
      "lee.gu@contoso.com,olivia.hart@fabrikam.com,mail.fabrikam.com,203.0.113.25,9800,Pending,"
      "<DM6PR03@contoso.com>",
      "2026-11-17T23:59:59Z,Inbound,,TLS1.3,TLS_AES_128_GCM_SHA256,alerts@woodgrove.example,"
      "it@contoso.com,smtp.woodgrove.example,198.51.100.9,4410,Delivered,<w-55@woodgrove.example>",
  };
  for (const char* r : rows) text += std::string(r) + "\n";
  return text;
}

ImportOptions small_batches(std::size_t n) {
  ImportOptions o;
  o.batch_size = n;
  return o;
}

}  // namespace

class Importer : public ImportFixture {};

TEST_F(Importer, ImportsAndReportsPerFileSummary) {
  std::string file = write_file("traces.csv", ten_records());
  ImportSummary s = import_trace_file(*store_, file, {});
  EXPECT_EQ(s.path, file);
  EXPECT_EQ(s.format, "Csv");
  EXPECT_FALSE(s.log_format);
  EXPECT_EQ(s.lines, 11);
  EXPECT_EQ(s.imported, 10);
  EXPECT_EQ(s.duplicates, 0);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_EQ(store_->trace_count(), 10);
  EXPECT_EQ(scalar("SELECT count(*) FROM traces WHERE connector IS NULL"), 3);
  EXPECT_EQ(rows("SELECT path, format, lines, size FROM imported_files"),
            std::vector<std::string>{file + "|Csv|11|" + std::to_string(ten_records().size())});
  expect_rollup_matches_traces();
}

TEST_F(Importer, ReimportAddsNothingAndReusesTheFileRow) {
  std::string file = write_file("traces.csv", ten_records());
  import_trace_file(*store_, file, small_batches(3));
  ImportSummary again = import_trace_file(*store_, file, small_batches(4));
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.duplicates, 10);
  EXPECT_EQ(store_->trace_count(), 10);
  EXPECT_EQ(scalar("SELECT count(*) FROM imported_files"), 1);
  expect_rollup_matches_traces();
  EXPECT_EQ(scalar("SELECT sum(messages) FROM daily_rollup"), 10);
}

TEST_F(Importer, IdenticalLinesInOneFileAreDistinctMessages) {
  std::string row =
      "2026-11-16T08:15:02Z,Outbound,,TLS1.2,,newsletter@contoso.com,list@example.org,"
      "mx.example.org,192.0.2.1,1000,Delivered,\n";
  std::string file = write_file("twice.csv", std::string(kCanonicalHeader) + row + row + row);
  ImportSummary s = import_trace_file(*store_, file, {});
  EXPECT_EQ(s.imported, 3);
  EXPECT_EQ(s.duplicates, 0);
  ImportSummary again = import_trace_file(*store_, file, {});
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.duplicates, 3);
  // The same record in another file is the same message again.
  std::string other = write_file("other.csv", std::string(kCanonicalHeader) + row);
  EXPECT_EQ(import_trace_file(*store_, other, {}).duplicates, 1);
  EXPECT_EQ(store_->trace_count(), 3);
}

TEST_F(Importer, RejectsAreCountedAndKeptOnceAcrossReimports) {
  std::string text = ten_records();
  text += "2026-11-18T25:00:00Z,Inbound,,,,a@b.example,c@contoso.com,,,1,,\n";  // line 12
  text += "2026-11-18T10:00:00Z,Inbound,,TLS2.0,,a@b.example,c@contoso.com,,,1,,\n";  // line 13
  text += "2026-11-18T10:00:00Z,Inbound,,,a@b.example,c@contoso.com,,,1,,\n";  // line 14
  std::string file = write_file("bad.csv", text);
  ImportSummary s = import_trace_file(*store_, file, small_batches(4));
  EXPECT_EQ(s.imported, 10);
  EXPECT_EQ(s.rejected, 3);
  EXPECT_EQ(s.lines, 14);
  auto kept = rows("SELECT path, line, reason, text FROM import_rejects ORDER BY line");
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0], file + "|12|bad timestamp in received: '2026-11-18T25:00:00Z'|"
                            "2026-11-18T25:00:00Z,Inbound,,,,a@b.example,c@contoso.com,,,1,,");
  EXPECT_TRUE(kept[1].starts_with(file + "|13|bad TLS value: 'TLS2.0'|2026-11-18T10")) << kept[1];
  EXPECT_TRUE(kept[2].starts_with(file + "|14|wrong column count: 11 fields, header has 12|2026"))
      << kept[2];
  ImportSummary again = import_trace_file(*store_, file, {});
  EXPECT_EQ(again.rejected, 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM import_rejects"), 3);
}

TEST_F(Importer, FixedFileNoLongerReportsOldRejects) {
  std::string file = write_file("fix.csv", ten_records() + "garbage,line\n");
  EXPECT_EQ(import_trace_file(*store_, file, {}).rejected, 1);
  write_file("fix.csv", ten_records());
  EXPECT_EQ(import_trace_file(*store_, file, {}).rejected, 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM import_rejects"), 0);
}

TEST_F(Importer, OverlongLineIsRejectedWithItsStartKept) {
  std::string text = ten_records();
  text += "2026-11-18T10:00:00Z,Inbound,,," + std::string(70000, 'y') + "\n";
  text += "2026-11-18T10:00:00Z,Inbound,,,,a@b.example,c@contoso.com,,,1,,<after>\n";
  std::string file = write_file("long.csv", text);
  ImportSummary s = import_trace_file(*store_, file, {});
  EXPECT_EQ(s.imported, 11);
  EXPECT_EQ(s.rejected, 1);
  EXPECT_EQ(rows("SELECT line, reason, length(text) FROM import_rejects"),
            std::vector<std::string>{"12|line longer than 65536 bytes|65536"});
}

TEST_F(Importer, JsonLinesDetectedAutomatically) {
  std::string file = write_file(
      "traces.jsonl",
      R"({"received":"2026-11-16T08:15:02Z","direction":"Inbound","connector":"Fabrikam Partner Inbound","tls":"TLS1.0","sender":"a@fabrikam.com","recipient":"b@contoso.com","size":100})"
      "\n\n"
      R"({"received":"2026-11-16T08:15:03Z","direction":"Outbound","tls":"1.2","sender":"b@contoso.com","recipient":"a@fabrikam.com","size":200})"
      "\n");
  ImportSummary s = import_trace_file(*store_, file, {});
  EXPECT_EQ(s.format, "Jsonl");
  EXPECT_EQ(s.lines, 3);
  EXPECT_EQ(s.imported, 2);
  expect_rollup_matches_traces();
}

TEST_F(Importer, KilledImportLeavesWholeBatchesAndRerunCompletesIt) {
  std::string file = write_file("traces.csv", ten_records());
  ImportOptions crash = small_batches(4);
  crash.before_commit = [](std::int64_t batch) {
    if (batch == 2) throw std::runtime_error("killed");
  };
  EXPECT_THROW(import_trace_file(*store_, file, crash), std::runtime_error);
  // Batch 1 committed whole, batch 2 not at all; the rollup agrees.
  EXPECT_EQ(store_->trace_count(), 4);
  expect_rollup_matches_traces();
  EXPECT_EQ(scalar("SELECT lines FROM imported_files"), 5);

  ImportSummary rerun = import_trace_file(*store_, file, small_batches(4));
  EXPECT_EQ(rerun.imported, 6);
  EXPECT_EQ(rerun.duplicates, 4);
  expect_rollup_matches_traces();

  // Exactly the records of one clean import.
  TraceStore clean(path("clean.db"));
  import_trace_file(clean, file, {});
  auto fingerprints = [](TraceStore& s) {
    std::vector<std::int64_t> out;
    auto q = s.db().prepare("SELECT fingerprint FROM traces ORDER BY fingerprint");
    while (q->step()) out.push_back(q->column_int(0));
    return out;
  };
  EXPECT_EQ(fingerprints(*store_), fingerprints(clean));
}

// A real kill: the child process dies by SIGKILL in the middle of its second
// batch (rows written, COMMIT not reached, no destructor runs).
TEST_F(Importer, SigkilledImportLeavesAConsistentStore) {
  std::string file = write_file("traces.csv", ten_records());
  const std::string db = path("killed.db");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    TraceStore store(db);
    ImportOptions o = small_batches(4);
    o.before_commit = [](std::int64_t batch) {
      if (batch == 2) ::raise(SIGKILL);
    };
    import_trace_file(store, file, o);
    _exit(0);  // not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  store_ = std::make_unique<TraceStore>(db);
  EXPECT_EQ(store_->trace_count(), 4);
  expect_rollup_matches_traces();
  ImportSummary rerun = import_trace_file(*store_, file, {});
  EXPECT_EQ(rerun.imported, 6);
  EXPECT_EQ(rerun.duplicates, 4);
  EXPECT_EQ(store_->trace_count(), 10);
  expect_rollup_matches_traces();
}

TEST_F(Importer, InterruptFlagStopsBetweenBatches) {
  std::string file = write_file("traces.csv", ten_records());
  std::atomic<bool> interrupted{true};
  ImportOptions o = small_batches(3);
  o.interrupted = &interrupted;
  try {
    import_trace_file(*store_, file, o);
    FAIL() << "expected an interruption";
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "OperationInterrupted");
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos);
  }
  EXPECT_EQ(store_->trace_count(), 0);
}

TEST_F(Importer, RollupEqualsGroupByAfterSeveralImports) {
  std::string a = write_file("a.csv", ten_records());
  std::string text = kCanonicalHeader;
  text += "2026-11-16T08:15:02Z,Inbound,Fabrikam Partner Inbound,TLS1.0,,x@fabrikam.com,y@contoso.com,,,77,,\n";
  text += "2026-11-18T00:00:00+02:00,Outbound,,TLS1.3,,y@contoso.com,x@fabrikam.com,,,5,Failed,\n";
  std::string b = write_file("b.csv", text);
  std::string c = write_file(
      "c.jsonl",
      R"({"received":"2026-11-16T08:15:02Z","direction":"Inbound","connector":"Legacy App Relay","sender":"s@contoso.com","recipient":"r@contoso.com","size":9})"
      "\n");
  import_trace_file(*store_, a, small_batches(3));
  import_trace_file(*store_, b, small_batches(1));
  import_trace_file(*store_, c, {});
  import_trace_file(*store_, a, {});
  EXPECT_EQ(store_->trace_count(), 13);
  expect_rollup_matches_traces();
}

TEST_F(Importer, MissingOrUnreadableFileNamesThePath) {
  std::string missing = path("nope.csv");
  try {
    import_trace_file(*store_, missing, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "FileNotFound");
    EXPECT_EQ(std::string(e.what()), "cannot import '" + missing + "': no such file");
  }
  try {
    import_trace_file(*store_, dir_.string(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "FileUnreadable");
    EXPECT_NE(std::string(e.what()).find(dir_.string()), std::string::npos);
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM imported_files"), 0);
}

TEST_F(Importer, WrongAndUndetectableFormatsAreClearErrors) {
  std::string file = write_file("mail.log",
                                "Nov 16 08:15:02 mx1 sm-mta[1234]: connect from unknown [203.0.113.9]\n");
  try {
    ImportOptions o;
    o.format = "exchangeconnectorreport";
    import_trace_file(*store_, file, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "ImportFormat");
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("Connector direction and name"), std::string::npos);
  }
  try {
    import_trace_file(*store_, file, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "UnknownFormat");
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos);
  }
}

TEST_F(Importer, CsvWithoutHeaderIsAnErrorNamingFileAndLine) {
  std::string file = write_file("noheader.csv", "\nreceived,direction,sender\n");
  ImportOptions o;
  o.format = "Csv";
  try {
    import_trace_file(*store_, file, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("cannot import '" + file + "': line 2: CSV header"))
        << e.what();
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM imported_files"), 0);
}

TEST_F(Importer, TimeZoneMustBeAFixedOffsetForCanonicalFormats) {
  std::string file = write_file("tz.csv", std::string(kCanonicalHeader) +
                                              "2026-11-16 09:15:02,Inbound,,,,a@b,c@d,,,1,,\n");
  ImportOptions o;
  o.reader.time_zone = "Europe/Berlin";
  EXPECT_THROW(import_trace_file(*store_, file, o), Error);
  o.reader.time_zone = "+01:00";
  o.reader.utc_offset_seconds = *parse_utc_offset("+01:00");
  import_trace_file(*store_, file, o);
  EXPECT_EQ(rows("SELECT received FROM traces"), std::vector<std::string>{"1794816902"});
}

TEST_F(Importer, EmptyFileImportsNothing) {
  std::string file = write_file("empty.csv", "");
  ImportOptions o;
  o.format = "Csv";
  ImportSummary s = import_trace_file(*store_, file, o);
  EXPECT_EQ(s.lines, 0);
  EXPECT_EQ(s.imported, 0);
}

TEST(UtcOffset, ParsesFixedOffsetsOnly) {
  EXPECT_EQ(parse_utc_offset("UTC"), 0);
  EXPECT_EQ(parse_utc_offset("z"), 0);
  EXPECT_EQ(parse_utc_offset("+01:00"), 3600);
  EXPECT_EQ(parse_utc_offset("-0530"), -(5 * 3600 + 30 * 60));
  EXPECT_EQ(parse_utc_offset("UTC+2"), 7200);
  EXPECT_EQ(parse_utc_offset("GMT-11"), -11 * 3600);
  EXPECT_EQ(parse_utc_offset("Europe/Berlin"), std::nullopt);
  EXPECT_EQ(parse_utc_offset("+25:00"), std::nullopt);
  EXPECT_EQ(parse_utc_offset("+1:0x"), std::nullopt);
}

}  // namespace mailflow

namespace mailflow {

// The default batch follows the file's size: small files (the crash test's)
// commit every kBatchRecords records, large ones every kLargeBatchRecords;
// an explicit batch_size wins.
TEST(ImportBatch, DefaultFollowsTheFileSizeAndAnExplicitSizeWins) {
  ImportOptions o;
  EXPECT_EQ(import_batch_records(o, 0), ImportOptions::kBatchRecords);
  EXPECT_EQ(import_batch_records(o, ImportOptions::kLargeBatchBytes - 1), ImportOptions::kBatchRecords);
  EXPECT_EQ(import_batch_records(o, ImportOptions::kLargeBatchBytes), ImportOptions::kLargeBatchRecords);
  EXPECT_GT(ImportOptions::kLargeBatchRecords, ImportOptions::kBatchRecords);
  o.batch_size = 7;
  EXPECT_EQ(import_batch_records(o, ImportOptions::kLargeBatchBytes * 4), 7u);
}

// With the default batch, a small file's commits come every kBatchRecords
// records (counted by the before_commit hook: one per full batch, one at the end).
TEST_F(Importer, DefaultBatchOfASmallFileCommitsEveryBatchRecords) {
  std::string text = "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,"
                     "message_id\n";
  const std::size_t n = ImportOptions::kBatchRecords + 5;
  for (std::size_t i = 0; i < n; ++i)
    text += "2026-11-17T10:00:00Z,Inbound,,TLS1.2,,a@fabrikam.com,b@contoso.com,,,10,Delivered,<" +
            std::to_string(i) + "@fabrikam.com>\n";
  std::string file = write_file("batches.csv", text);
  ImportOptions o;
  std::int64_t commits = 0;
  o.before_commit = [&](std::int64_t) { ++commits; };
  ImportSummary s = import_trace_file(*store_, file, o);
  EXPECT_EQ(s.imported, static_cast<std::int64_t>(n));
  EXPECT_EQ(commits, 2);
}

}  // namespace mailflow

namespace mailflow {

namespace {

// Twelve records, one a minute, in the order `minutes` gives.
std::string minutes_csv(const std::vector<int>& minutes) {
  std::string text = "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,"
                     "message_id\n";
  for (int m : minutes) {
    char when[32];
    std::snprintf(when, sizeof when, "2026-11-17T10:%02d:00Z", m);
    text += std::string(when) + ",Inbound,,TLS1.2,,a@fabrikam.com,b@contoso.com,,,10,Delivered,<" +
            std::to_string(m) + "@fabrikam.com>\n";
  }
  return text;
}

}  // namespace

// A file out of time order, into a store without traces: after its first
// batch the rest loads in bulk (no indexes until the end), and the end
// leaves the same indexes and every record.
TEST_F(Importer, FileOutOfTimeOrderLoadsInBulkAfterItsFirstBatch) {
  std::string file = write_file("shuffled.csv", minutes_csv({7, 2, 11, 0, 5, 9, 1, 10, 3, 8, 6, 4}));
  ImportOptions o = small_batches(4);
  std::vector<bool> pending;
  o.before_commit = [&](std::int64_t) { pending.push_back(TraceWriter::bulk_load_pending(*store_)); };
  ImportSummary s = import_trace_file(*store_, file, o);
  EXPECT_EQ(s.imported, 12);
  EXPECT_EQ(s.duplicates, 0);
  ASSERT_EQ(pending.size(), 4u);  // three full batches and the end
  EXPECT_FALSE(pending[0]);
  EXPECT_TRUE(pending[1]);
  EXPECT_TRUE(pending[2]);
  EXPECT_FALSE(pending[3]);  // finished in the last batch
  EXPECT_FALSE(TraceWriter::bulk_load_pending(*store_));
  auto indexes = store_->db().prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trace_rows'");
  indexes->step();
  EXPECT_EQ(indexes->column_int(0), 2);
  // The unique index is back: the same file again adds nothing.
  ImportSummary again = import_trace_file(*store_, file, small_batches(4));
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.duplicates, 12);
}

// A file in time order appends to the indexes: never a bulk load.
TEST_F(Importer, FileInTimeOrderNeverLoadsInBulk) {
  std::string file = write_file("ordered.csv", minutes_csv({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
  ImportOptions o = small_batches(4);
  bool ever = false;
  o.before_commit = [&](std::int64_t) { ever = ever || TraceWriter::bulk_load_pending(*store_); };
  EXPECT_EQ(import_trace_file(*store_, file, o).imported, 12);
  EXPECT_FALSE(ever);
}

// A simulated kill (an error before a commit) during a bulk load: the
// error path finishes the load, so the batches that stay are indexed.
TEST_F(Importer, ErrorDuringABulkLoadFinishesIt) {
  std::string file = write_file("cut.csv", minutes_csv({7, 2, 11, 0, 5, 9, 1, 10, 3, 8, 6, 4}));
  ImportOptions o = small_batches(4);
  o.before_commit = [&](std::int64_t batch) {
    if (batch == 3) throw Error("Killed", "simulated");
  };
  EXPECT_THROW(import_trace_file(*store_, file, o), Error);
  EXPECT_FALSE(TraceWriter::bulk_load_pending(*store_));
  EXPECT_EQ(store_->trace_count(), 8);
  ImportSummary rest = import_trace_file(*store_, file, small_batches(4));
  EXPECT_EQ(rest.imported, 4);
  EXPECT_EQ(rest.duplicates, 8);
}

}  // namespace mailflow
