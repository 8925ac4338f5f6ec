#include "store/store_overview.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string temp_db(const char* name) {
  auto path = test::temp_dir() / (std::string("mailflow-") + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

Trace trace_at(UnixSeconds when, std::optional<std::string> connector, std::string recipient) {
  Trace t;
  t.received = when;
  t.direction = Direction::Inbound;
  t.connector = std::move(connector);
  t.tls = TlsVersion::Tls12;
  t.sender = "alerts@partner.example";
  t.recipient = std::move(recipient);
  t.size = 2048;
  t.status = "Delivered";
  return t;
}

}  // namespace

TEST(StoreOverview, EmptyStore) {
  TraceStore store(temp_db("overview-empty"));
  EXPECT_TRUE(connector_names_traffic_then_defined(store).empty());
  TraceSpan span = trace_span(store);
  EXPECT_EQ(span.traces, 0);
  EXPECT_FALSE(span.first.has_value());
}

TEST(StoreOverview, ConnectorNamesFromTrafficAndDefinitions) {
  TraceStore store(temp_db("overview-names"));
  {
    TraceWriter w(store);
    auto a = trace_at(1'763'280'000, "Fabrikam Inbound", "ann@contoso.com");
    auto b = trace_at(1'763'290'000, std::nullopt, "bob@contoso.com");
    auto c = trace_at(1'763'370'000, "fabrikam inbound", "cy@contoso.com");
    w.add(a, trace_fingerprint(a), std::nullopt);
    w.add(b, trace_fingerprint(b), std::nullopt);
    w.add(c, trace_fingerprint(c), std::nullopt);
    w.commit();
  }
  auto ins = store.db().prepare(
      "INSERT INTO connectors(name, direction, connector_type, enabled, require_tls, created) "
      "VALUES(?1, 0, 'Partner', 1, 1, 0)");
  ins->bind(1, "Contoso to Relay");
  ins->run();
  // No connector ('' in the rollup) is not a name; traffic comes first, each
  // spelling once (reports/connector_names.h keeps one per name).
  std::vector<std::string> names = connector_names_traffic_then_defined(store);
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names.back(), "Contoso to Relay");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Contoso to Relay", "Fabrikam Inbound", "fabrikam inbound"}));
  TraceSpan span = trace_span(store);
  EXPECT_EQ(span.traces, 3);
  EXPECT_EQ(span.first, 1'763'280'000);
  EXPECT_EQ(span.last, 1'763'370'000);
}

}  // namespace mailflow
