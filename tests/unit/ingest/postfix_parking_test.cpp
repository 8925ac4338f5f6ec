// Separate imports that continue each other (issue #13): the real capture
// cut at many places (inside smtpd sessions, between client= and qmgr,
// between queueing and delivery, inside multi-recipient deliveries) and
// imported in two calls makes exactly the records of one import of all of
// it; re-imports, an older file after a newer one and a damaged state do
// no harm.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/text.h"
#include "import_fixture.h"
#include "ingest/importer.h"

namespace mailflow {
namespace {

class PostfixParking : public testing::ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    std::ifstream in(std::string(MAILFLOW_TEST_DATA) + "/postfix-world/syslog-traditional.log");
    std::string line;
    while (std::getline(in, line)) lines_.push_back(line);
  }
  ImportOptions options() {
    ImportOptions o;
    o.format = "Postfix";
    o.reader.year = 2026;
    o.reader.time_zone = "UTC";
    o.reader.internal_networks = {"127.0.0.1/32", "::1/128"};
    o.reader.organization_domains = {"contoso.com"};
    return o;
  }
  std::string part(std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to && i < lines_.size(); ++i) (s += lines_[i]) += "\n";
    return s;
  }
  std::vector<std::string> traces() {
    return rows("SELECT received, direction, sender, recipient, coalesce(remote_host, ''), coalesce(remote_ip, ''),"
                " tls, coalesce(tls_trust, ''), status, size, coalesce(message_id, '') FROM traces"
                " ORDER BY 1, 2, 3, 4, 9");
  }
  void fresh_store(const std::string& name) { store_ = std::make_unique<TraceStore>(path(name)); }

  std::vector<std::string> lines_;
};

TEST_F(PostfixParking, TwoImportsCutAnywhereMakeTheRecordsOfOne) {
  ASSERT_GT(lines_.size(), 800u);
  fresh_store("whole.db");
  import_trace_file(*store_, write_file("whole.log", part(0, lines_.size())), options());
  const std::vector<std::string> want = traces();
  ASSERT_EQ(want.size(), 35u);

  // Every line of the inbound part (sessions with TLS, client=, cleanup,
  // qmgr, the content filter hop, TLS failures, refusals), then every 9th.
  std::vector<std::size_t> cuts;
  for (std::size_t k = 1; k < 200; ++k) cuts.push_back(k);
  for (std::size_t k = 200; k < lines_.size(); k += 9) cuts.push_back(k);
  int n = 0;
  for (std::size_t k : cuts) {
    SCOPED_TRACE("cut after line " + std::to_string(k));
    fresh_store("cut" + std::to_string(n) + ".db");
    std::string a = write_file("a" + std::to_string(n) + ".log", part(0, k));
    std::string b = write_file("b" + std::to_string(n) + ".log", part(k, lines_.size()));
    ++n;
    import_trace_file(*store_, a, options());
    import_trace_file(*store_, b, options());
    ASSERT_EQ(traces(), want);
    expect_rollup_matches_traces();
  }
}

TEST_F(PostfixParking, ReimportsAndAnOlderFileAfterANewerOneChangeNothing) {
  // The capture cut inside the first inbound message (after its smtpd
  // "client=" line): in flight at the end of the first part.
  std::size_t cut = 0;
  while (cut < lines_.size() && lines_[cut].find(": client=mail.fabrikam.example") == std::string::npos) ++cut;
  ASSERT_LT(cut, lines_.size());
  ++cut;
  std::string a = write_file("mail.log.1", part(0, cut));
  std::string b = write_file("mail.log", part(cut, lines_.size()));
  fresh_store("whole.db");
  import_trace_file(*store_, write_file("whole.log", part(0, lines_.size())), options());
  const std::vector<std::string> want = traces();

  fresh_store("parts.db");
  ImportSummary first = import_trace_file(*store_, a, options());
  EXPECT_EQ(first.imported, 0);  // the one message of the first part is still in flight
  EXPECT_EQ(import_trace_file(*store_, a, options()).imported, 0);  // again: the same state
  import_trace_file(*store_, b, options());
  EXPECT_EQ(traces(), want);
  // Again, in any order: nothing new.
  EXPECT_EQ(import_trace_file(*store_, a, options()).imported, 0);
  EXPECT_EQ(import_trace_file(*store_, b, options()).imported, 0);
  EXPECT_EQ(traces(), want);

  // The newer file first, then the older one: the older file's message in
  // flight is emitted (with what it has) and the newer state is kept.
  fresh_store("reverse.db");
  import_trace_file(*store_, b, options());
  auto kept = store_->get_config(reader_state_key("Postfix"));
  ASSERT_TRUE(kept);
  import_trace_file(*store_, a, options());
  EXPECT_EQ(store_->get_config(reader_state_key("Postfix")), kept);
  expect_rollup_matches_traces();
}

TEST_F(PostfixParking, ADamagedStateIsIgnored) {
  std::size_t cut = lines_.size() / 2;
  fresh_store("whole.db");
  import_trace_file(*store_, write_file("whole.log", part(cut, lines_.size())), options());
  const std::vector<std::string> want = traces();
  for (const char* state : {"postfix-open 1\nH\tvm\t1\t2\nQ\tbroken\n", "postfix-open 1\nH\tvm\tx\n",
                            "postfix-open 1\nH\tvm\t1\t2\nG\tNOSUCH\trelay\n", "postfix-open 9\n", "garbage"}) {
    SCOPED_TRACE(state);
    fresh_store(std::string("damaged") + std::to_string(std::hash<std::string>{}(state)) + ".db");
    store_->set_config(reader_state_key("Postfix"), state);
    import_trace_file(*store_, write_file("second.log", part(cut, lines_.size())), options());
    EXPECT_EQ(traces(), want);
  }
}

}  // namespace
}  // namespace mailflow
