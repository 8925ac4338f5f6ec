// Migration 4 adds TlsTrust (SPEC section 4) as a nullable column; the store
// writes and reads it through the trace-field table.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/migrations.h"
#include "store/trace_query.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string fresh_db(const char* name) {
  auto path = test::temp_dir() / (std::string("mailflow-trust-") + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

std::vector<Trace> all_traces(TraceStore& store) {
  TraceQuery q;
  q.from = 0;
  q.to = 4102444800;  // 2100-01-01
  TraceCursor cursor(store, q);
  std::vector<Trace> out;
  while (auto t = cursor.next()) out.push_back(std::move(*t));
  return out;
}

}  // namespace

TEST(TlsTrustColumn, VersionThreeStoreUpgradesWithNilTrust) {
  std::string path = fresh_db("v3");
  {
    Database db(path);
    migrate(db, 3);
    db.exec(
        "INSERT INTO traces(received, direction, tls, sender, recipient, size, status, fingerprint)"
        " VALUES(1794816902, 0, 12, 'a@x', 'b@contoso.com', 10, 'Delivered', 42)");
  }
  TraceStore store(path);
  EXPECT_GE(current_schema_version(), 4);
  auto version = store.db().prepare("PRAGMA user_version");
  ASSERT_TRUE(version->step());
  EXPECT_EQ(version->column_int(0), current_schema_version());
  auto traces = all_traces(store);
  ASSERT_EQ(traces.size(), 1u);
  EXPECT_FALSE(traces[0].tls_trust);
  EXPECT_EQ(traces[0].tls, TlsVersion::Tls12);
  EXPECT_EQ(traces[0].recipient, "b@contoso.com");
}

TEST(TlsTrustColumn, WrittenAndReadBack) {
  TraceStore store(fresh_db("roundtrip"));
  Trace verified;
  verified.received = 1794816902;
  verified.sender = "a@fabrikam.com";
  verified.recipient = "b@contoso.com";
  verified.tls = TlsVersion::Tls13;
  verified.tls_trust = TlsTrust::Verified;
  verified.connector = "Fabrikam";
  Trace plain = verified;
  plain.received += 1;
  plain.tls_trust.reset();
  plain.tls = TlsVersion::None;
  {
    TraceWriter w(store);
    EXPECT_TRUE(w.add(verified, trace_fingerprint(verified), std::nullopt));
    EXPECT_TRUE(w.add(plain, trace_fingerprint(plain), std::nullopt));
    w.commit();
  }
  auto traces = all_traces(store);  // newest first
  ASSERT_EQ(traces.size(), 2u);
  EXPECT_FALSE(traces[0].tls_trust);
  EXPECT_EQ(traces[1].tls_trust, TlsTrust::Verified);
  EXPECT_EQ(traces[1].connector, "Fabrikam");
  auto stored = store.db().prepare("SELECT tls_trust FROM traces ORDER BY received");
  ASSERT_TRUE(stored->step());
  EXPECT_EQ(stored->column_text(0), "Verified");
}

TEST(TlsTrustColumn, TrustIsPartOfTheFingerprintOnlyWhenSet) {
  Trace t;
  t.received = 1794816902;
  t.sender = "a@x";
  t.recipient = "b@y";
  Trace trusted = t;
  trusted.tls_trust = TlsTrust::Trusted;
  EXPECT_NE(trace_fingerprint(t, 0), trace_fingerprint(trusted, 0));
  // Without trust the fingerprint is what earlier versions computed, so a
  // re-import of an old file adds nothing: the FNV fingerprint of schema 4
  // and 5 (which migration 6 recognises to re-key a trace) as before
  // TlsTrust, and the schema 6 one, which must never change either.
  EXPECT_EQ(legacy_trace_fingerprint(t, 0), std::int64_t{8787778445394740067});  // as computed before TlsTrust
  EXPECT_EQ(trace_fingerprint(t, 0), std::int64_t{1522731199921520078});  // schema 6
}

}  // namespace mailflow
