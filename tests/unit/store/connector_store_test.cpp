#include "store/connector_store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "core/error.h"
#include "test_temp_dir.h"

namespace mailflow {
namespace {

struct TempStore {
  std::string path;
  TempStore() {
    path = (test::temp_dir() /
            ("connector_store_test_" + std::to_string(::getpid()) + ".db")).string();
    std::filesystem::remove(path);
  }
  ~TempStore() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
};

TEST(ConnectorStore, RoundTripsEveryField) {
  TempStore tmp;
  TraceStore store(tmp.path);
  ConnectorStore connectors(store);
  Connector c;
  c.name = "Fabrikam";
  c.connector_type = "OnPremises";
  c.enabled = false;
  c.require_tls = true;
  c.comment = "partner, with a comma";
  c.sender_domains = parse_domain_patterns({"fabrikam.example", "*.fabrikam.example"}, "SenderDomains");
  c.sender_ips = parse_ip_ranges({"192.0.2.0/24", "2001:db8::/32"}, "SenderIPAddresses");
  c.tls_sender_certificate_name = "mail.fabrikam.example";
  c.created = 1234;
  connectors.insert(c);
  auto back = connectors.find("FABRIKAM", Direction::Inbound);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->name, "Fabrikam");
  EXPECT_EQ(back->connector_type, "OnPremises");
  EXPECT_FALSE(back->enabled);
  EXPECT_TRUE(back->require_tls);
  EXPECT_EQ(back->comment, "partner, with a comma");
  ASSERT_EQ(back->sender_domains.size(), 2u);
  EXPECT_EQ(format_domain_pattern(back->sender_domains[1]), "*.fabrikam.example");
  ASSERT_EQ(back->sender_ips.size(), 2u);
  EXPECT_EQ(format_ip_range(back->sender_ips[1]), "2001:db8::/32");
  EXPECT_EQ(back->tls_sender_certificate_name, "mail.fabrikam.example");
  EXPECT_EQ(back->created, 1234);
  EXPECT_FALSE(connectors.find("Fabrikam", Direction::Outbound));
}

TEST(ConnectorStore, DuplicateNamesAndMissingConnectorsAreErrors) {
  TempStore tmp;
  TraceStore store(tmp.path);
  ConnectorStore connectors(store);
  Connector c;
  c.name = "Relay";
  c.direction = Direction::Outbound;
  c.smart_hosts = {"relay.example"};
  connectors.insert(c);
  c.name = "relay";
  EXPECT_THROW(connectors.insert(c), Error);
  c.direction = Direction::Inbound;
  EXPECT_THROW(connectors.insert(c), Error);  // one namespace for both directions
  EXPECT_THROW(connectors.remove("Relay", Direction::Inbound), Error);
  EXPECT_THROW(connectors.remove("Nope", Direction::Outbound), Error);
  Connector changed = *connectors.find("Relay", Direction::Outbound);
  changed.smart_hosts = {"relay2.example"};
  connectors.update(changed);
  EXPECT_EQ(connectors.find("Relay", Direction::Outbound)->smart_hosts, std::vector<std::string>{"relay2.example"});
  connectors.remove("relay", Direction::Outbound);
  EXPECT_TRUE(connectors.list().empty());
  changed.name = "Gone";
  EXPECT_THROW(connectors.update(changed), Error);
}

}  // namespace
}  // namespace mailflow
