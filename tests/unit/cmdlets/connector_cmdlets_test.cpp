#include "cmdlets/connector_cmdlets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "cmdlets/builtin.h"
#include "host/session.h"
#include "core/error.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {
namespace {

class ConnectorCmdlets : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (test::temp_dir() / ("connector_cmdlets_" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    store_ = std::make_unique<TraceStore>(path_);
    register_builtin_cmdlets(registry_);
    session_.store = store_.get();
    session_.registry = &registry_;
    session_.today = *parse_date("2026-11-23");
  }
  void TearDown() override {
    store_.reset();
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + s);
  }
  std::vector<Value> run(const std::string& name, std::vector<std::pair<std::string, Value>> args) {
    const CmdletSpec* spec = registry_.find(name);
    EXPECT_NE(spec, nullptr) << name;
    BoundParameters p;
    for (auto& [k, v] : args) p.set(k, v);
    auto out = spec->run(session_, p, std::make_unique<VectorStream>(std::vector<Value>{}));
    return collect(*out);
  }
  static Value list(std::vector<std::string> items) {
    Array a;
    for (auto& s : items) a.emplace_back(s);
    return Value(std::move(a));
  }
  std::string error_of(const std::string& name, std::vector<std::pair<std::string, Value>> args) {
    try {
      run(name, std::move(args));
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  std::string path_;
  std::unique_ptr<TraceStore> store_;
  Registry registry_;
  Session session_;
};

TEST_F(ConnectorCmdlets, NewGetSetRemoveInbound) {
  auto created = run("New-InboundConnector", {{"Name", Value("Fabrikam")},
                                              {"SenderDomains", list({"fabrikam.example", "*.fabrikam.example"})},
                                              {"SenderIPAddresses", list({"192.0.2.0/24", "2001:db8::/32"})}});
  ASSERT_EQ(created.size(), 1u);
  const Record& r = created[0].as_record();
  EXPECT_EQ(r.get("Name")->as_string(), "Fabrikam");
  EXPECT_EQ(r.get("ConnectorType")->as_string(), "Partner");
  EXPECT_TRUE(r.get("Enabled")->as_bool());
  EXPECT_EQ(r.get("SenderIPAddresses")->to_display(), "{192.0.2.0/24, 2001:db8::/32}");
  run("Set-InboundConnector", {{"Identity", Value("fabrikam")}, {"Enabled", Value(false)}, {"Comment", Value("x")}});
  auto got = run("Get-InboundConnector", {});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(got[0].as_record().get("Enabled")->as_bool());
  EXPECT_EQ(got[0].as_record().get("Comment")->as_string(), "x");
  EXPECT_EQ(got[0].as_record().get("SenderDomains")->as_array().size(), 2u);  // untouched by Set
  EXPECT_TRUE(run("Get-OutboundConnector", {}).empty());
  run("Remove-InboundConnector", {{"Identity", Value("Fabrikam")}});
  EXPECT_TRUE(run("Get-InboundConnector", {}).empty());
}

// Get-X | Where-Object ... | Set-X / Remove-X: the connectors come from the
// pipeline by Name, as in PowerShell (the declared example of Remove-).
TEST_F(ConnectorCmdlets, SetAndRemoveTakeConnectorsFromThePipeline) {
  run("New-InboundConnector", {{"Name", Value("A")}, {"SenderDomains", list({"a.example"})}});
  run("New-InboundConnector", {{"Name", Value("B")}, {"SenderDomains", list({"b.example"})}});
  run("New-InboundConnector", {{"Name", Value("C")}, {"SenderDomains", list({"c.example"})}});
  auto pipe = [&](const std::string& name, std::vector<std::pair<std::string, Value>> args, std::vector<Value> in) {
    BoundParameters p;
    for (auto& [k, v] : args) p.set(k, v);
    return collect(*registry_.find(name)->run(session_, p, std::make_unique<VectorStream>(std::move(in))));
  };
  std::vector<Value> all = run("Get-InboundConnector", {});
  auto changed = pipe("Set-InboundConnector", {{"Comment", Value("bulk")}}, {all[0], all[1]});
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[1].as_record().get("Comment")->as_string(), "bulk");
  EXPECT_TRUE(pipe("Remove-InboundConnector", {}, {all[0], Value("C")}).empty());
  auto left = run("Get-InboundConnector", {});
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].as_record().get("Name")->as_string(), "B");
  EXPECT_TRUE(pipe("Remove-InboundConnector", {}, {}).empty());  // nothing came: nothing to do
  EXPECT_NE(error_of("Remove-InboundConnector", {{"Identity", Value("Z")}}).find("no inbound connector"),
            std::string::npos);
}

TEST_F(ConnectorCmdlets, OutboundAndErrors) {
  run("New-OutboundConnector", {{"Name", Value("Relay")}, {"SmartHosts", list({"[relay.contoso.net]:25"})},
                                {"ConnectorType", Value("OnPremises")}, {"RequireTls", Value(true)}});
  auto got = run("Get-OutboundConnector", {{"Identity", Value("relay")}});
  EXPECT_EQ(got[0].as_record().get("SmartHosts")->to_display(), "{relay.contoso.net}");
  EXPECT_NE(error_of("New-OutboundConnector", {{"Name", Value("Relay")}, {"SmartHosts", list({"x.example"})}})
                .find("already exists"),
            std::string::npos);
  EXPECT_NE(error_of("New-InboundConnector", {{"Name", Value("Bad")}, {"SenderIPAddresses", list({"10.0.0.1/8"})}})
                .find("-SenderIPAddresses"),
            std::string::npos);
  EXPECT_NE(error_of("New-InboundConnector", {{"Name", Value("Nothing")}}).find("matches no traffic"),
            std::string::npos);
  EXPECT_NE(error_of("Set-OutboundConnector", {{"Identity", Value("Relay")}, {"SmartHosts", list({})}})
                .find("matches no traffic"),
            std::string::npos);
  EXPECT_NE(error_of("Remove-InboundConnector", {{"Identity", Value("Relay")}}).find("no inbound connector"),
            std::string::npos);
  EXPECT_NE(error_of("Get-InboundConnector", {{"Identity", Value("Nope")}}).find("Nope"), std::string::npos);
}

TEST_F(ConnectorCmdlets, RefusedConnectionsAndUpdateAttribution) {
  store_->db().exec(
      "INSERT INTO refused_connections(time, client_host, client_ip, sender, recipient, reason, fingerprint)"
      " VALUES(1795341600, 'a.example', '192.0.2.1', 's@a.example', 'r@contoso.com', '550 no', 1),"
      "       (1795341700, NULL, '192.0.2.2', NULL, NULL, '554 blocked', 2),"
      "       (1000000000, NULL, '192.0.2.3', NULL, NULL, 'old', 3)");
  auto rows = run("Get-RefusedConnection", {});
  ASSERT_EQ(rows.size(), 2u);  // the last 7 days only
  EXPECT_EQ(rows[0].as_record().get("Reason")->as_string(), "554 blocked");  // newest first
  EXPECT_TRUE(rows[0].as_record().get("ClientHost")->is_null());
  EXPECT_EQ(rows[1].as_record().get("Time")->to_display().substr(0, 10), "2026-11-22");
  auto summary = run("Update-ConnectorAttribution", {});
  EXPECT_EQ(summary[0].as_record().get("Examined")->as_int(), 0);
  EXPECT_NE(error_of("Get-RefusedConnection", {{"StartDate", Value(DateTime{1795341600})},
                                               {"EndDate", Value(DateTime{1795000000})}})
                .find("is after"),
            std::string::npos);
  // The reports' range rules: MaxReportDays applies to the listing ...
  EXPECT_EQ(error_of("Get-RefusedConnection", {{"Days", Value(std::int64_t{31})}}),
            "-Days 31 is longer than the 30-day maximum (MaxReportDays; change it with "
            "Set-MailFlowConfig -MaxReportDays N)");
  EXPECT_EQ(run("Get-RefusedConnection", {{"Days", Value(std::int64_t{30})}}).size(), 2u);
  // ... but not to re-attribution, which is no report.
  EXPECT_EQ(run("Update-ConnectorAttribution", {{"Days", Value(std::int64_t{400})}}).size(), 1u);
  EXPECT_NE(error_of("Update-ConnectorAttribution", {{"Days", Value(std::int64_t{0})}}).find("-Days 0"),
            std::string::npos);
}

TEST_F(ConnectorCmdlets, AboutPipelinesIsRegistered) {
  const auto& topics = registry_.topics();
  auto it = topics.find("about_pipelines");
  ASSERT_NE(it, topics.end());
  EXPECT_NE(it->second.find("CALCULATED PROPERTIES"), std::string::npos);
  EXPECT_NE(it->second.find("within its page"), std::string::npos);
}

TEST_F(ConnectorCmdlets, AboutConnectorsDocumentsTheOrder) {
  const auto& topics = registry_.topics();
  auto it = topics.find("about_connectors");
  ASSERT_NE(it, topics.end());
  EXPECT_NE(it->second.find("most specific range"), std::string::npos);
  EXPECT_NE(it->second.find("SmartHosts"), std::string::npos);
}

}  // namespace
}  // namespace mailflow
