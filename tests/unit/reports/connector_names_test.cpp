// The one list of known connectors: what -Connector's error lists and Tab
// completion offers (cmdlets/session_store.h).
#include "reports/connector_names.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "reports/report_fixture.h"

namespace mailflow::testing {

using KnownConnectors = ReportFixture;

TEST_F(KnownConnectors, TrafficAndDefinitionsOnceEachSorted) {
  EXPECT_TRUE(known_connectors(*store_).empty());
  Trace a = trace("2026-11-20T08:00:00Z", Direction::Inbound, "Fabrikam Inbound", TlsVersion::Tls12);
  Trace b = trace("2026-11-20T09:00:00Z", Direction::Inbound, std::nullopt, TlsVersion::Tls12);
  Trace c = trace("2026-11-21T09:00:00Z", Direction::Inbound, "fabrikam inbound", TlsVersion::Tls12);
  add({a, b, c});
  auto ins = store_->db().prepare(
      "INSERT INTO connectors(name, direction, connector_type, enabled, require_tls, created) "
      "VALUES(?1, 0, 'Partner', 1, 1, 0)");
  ins->bind(1, "Contoso to Relay");
  ins->run();
  std::vector<std::string> names = known_connectors(*store_);
  ASSERT_EQ(names.size(), 2u);  // no connector is not a name; case variants once
  EXPECT_EQ(names[0], "Contoso to Relay");
  EXPECT_TRUE(iequals(names[1], "Fabrikam Inbound"));
  try {
    resolve_connector(*store_, "Nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "-Connector 'Nope' is not a known connector; known: " + names[0] + ", " + names[1]);
  }
}

}  // namespace mailflow::testing
