// A store with hand-made traces, a registry with the built-in cmdlets and the
// two TLS rules, and helpers to run a cmdlet with parameters filled in as the
// binder would (canonical names, typed values).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cmdlets/builtin.h"
#include "host/cmdlet.h"
#include "host/session.h"
#include "core/error.h"
#include "reports/insight_rule.h"
#include "reports/tls_share_rule.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow::testing {

inline std::string fresh_db_path(const std::string& name) {
  auto path = test::temp_dir() /
              ("mailflow-reports-" + name + "-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

inline UnixSeconds at(const char* iso) {
  auto t = parse_instant(iso);
  if (!t) throw std::runtime_error(std::string("bad test instant ") + iso);
  return *t;
}

inline Trace trace(const char* received, Direction d, std::optional<std::string> connector,
                   TlsVersion tls, std::string sender = "ann@fabrikam.com",
                   std::string recipient = "bob@contoso.com", std::string status = "Delivered") {
  Trace t;
  t.received = at(received);
  t.direction = d;
  t.connector = std::move(connector);
  t.tls = tls;
  t.cipher = tls == TlsVersion::None ? std::nullopt : std::optional<std::string>("TLS_AES_256_GCM_SHA384");
  t.sender = std::move(sender);
  t.recipient = std::move(recipient);
  t.remote_host = "mail.fabrikam.com";
  t.remote_ip = "203.0.113.25";
  t.size = 2048;
  t.status = std::move(status);
  t.message_id = "<" + std::to_string(t.received) + "@fabrikam.com>";
  return t;
}

inline BoundParameters params(std::initializer_list<std::pair<std::string, Value>> values) {
  BoundParameters p;
  for (const auto& [name, value] : values) p.set(name, value);
  return p;
}

inline Value date(const char* iso) { return Value(DateTime{at(iso)}); }

class ReportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    store_ = std::make_unique<TraceStore>(fresh_db_path(std::string(info->test_suite_name()) + "-" + info->name()));
    register_builtin_cmdlets(registry_);
    rules_.add(TlsShareRule::no_tls());
    rules_.add(TlsShareRule::tls10());
    session_.store = store_.get();
    session_.registry = &registry_;
    session_.rules = &rules_;
    session_.today = *parse_date("2026-11-22");
  }

  void add(const std::vector<Trace>& traces) {
    TraceWriter w(*store_);
    for (const Trace& t : traces) w.add(t, ++fingerprint_, std::nullopt);
    w.commit();
  }

  void define_connector(const std::string& name, Direction d, const std::string& type, bool require_tls) {
    auto s = store_->db().prepare(
        "INSERT INTO connectors(name, direction, connector_type, enabled, require_tls, created)"
        " VALUES(?1, ?2, ?3, 1, ?4, 0)");
    s->bind(1, name).bind(2, static_cast<int>(d)).bind(3, type).bind(4, require_tls ? 1 : 0);
    s->run();
  }

  std::vector<Value> run(const std::string& cmdlet, const BoundParameters& p = {}) {
    const CmdletSpec* spec = registry_.find(cmdlet);
    if (!spec) throw std::runtime_error("no cmdlet " + cmdlet);
    auto out = spec->run(session_, p, std::make_unique<VectorStream>(std::vector<Value>{}));
    return collect(*out);
  }

  // The error message a cmdlet fails with ("" when it does not fail).
  std::string error_of(const std::string& cmdlet, const BoundParameters& p = {}) {
    try {
      run(cmdlet, p);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  // "v1|v2|..." for each record, null shown as (null): compact expectations.
  static std::vector<std::string> rows(const std::vector<Value>& records) {
    std::vector<std::string> out;
    for (const Value& v : records) {
      std::string line;
      const Record& r = v.as_record();
      for (size_t i = 0; i < r.size(); ++i) {
        if (i) line += "|";
        line += r.value(i).is_null() ? "(null)" : r.value(i).to_display();
      }
      out.push_back(line);
    }
    return out;
  }

  static std::vector<std::string> names(const Value& record) {
    return record.as_record().schema().names();
  }

  // The example store of the report tests (today 2026-11-22; default range
  // 2026-11-16 .. 2026-11-22). Expected numbers are worked out beside each test.
  void add_example_traffic() {
    define_connector("Contoso-Partner", Direction::Inbound, "Partner", false);
    define_connector("OnPrem-Relay", Direction::Outbound, "OnPremises", true);
    define_connector("Unused-Connector", Direction::Inbound, "Partner", false);
    const auto In = Direction::Inbound;
    const auto Out = Direction::Outbound;
    const std::string cp = "Contoso-Partner", op = "OnPrem-Relay";
    add({
        // Inbound through Contoso-Partner (Partner): inbound only.
        trace("2026-11-16T00:00:00Z", In, cp, TlsVersion::Tls12, "Ann.Lee@Contoso.com", "it@tailspin.example"),
        trace("2026-11-16T23:59:59Z", In, cp, TlsVersion::None, "first_last@contoso.com", "it@tailspin.example"),
        trace("2026-11-17T00:00:00Z", In, cp, TlsVersion::None, "firstXlast@contoso.com", "it@tailspin.example"),
        trace("2026-11-18T12:00:00Z", In, cp, TlsVersion::Tls10, "ann.lee@contoso.com", "sales@tailspin.example"),
        trace("2026-11-18T12:00:01Z", In, cp, TlsVersion::Tls12, "ann.lee@contoso.com", "sales@tailspin.example", "Failed"),
        // Inbound without a connector.
        trace("2026-11-15T23:59:59Z", In, std::nullopt, TlsVersion::Tls13, "news@fabrikam.com", "it@tailspin.example"),
        trace("2026-11-20T10:00:00Z", In, std::nullopt, TlsVersion::Tls13, "news@fabrikam.com", "it@tailspin.example"),
        trace("2026-11-22T23:59:59Z", In, std::nullopt, TlsVersion::Tls12, "news@mail.fabrikam.com", "it@tailspin.example"),
        trace("2026-11-23T00:00:00Z", In, std::nullopt, TlsVersion::Tls12, "news@fabrikam.com", "it@tailspin.example"),
        // Outbound through OnPrem-Relay (OnPremises): outbound only.
        trace("2026-11-19T08:00:00Z", Out, op, TlsVersion::Tls10, "it@tailspin.example", "a@northwind.example"),
        trace("2026-11-19T08:00:01Z", Out, op, TlsVersion::Tls10, "it@tailspin.example", "b@northwind.example"),
        trace("2026-11-19T08:00:02Z", Out, op, TlsVersion::Tls10, "it@tailspin.example", "c@northwind.example"),
        trace("2026-11-19T09:00:00Z", Out, op, TlsVersion::Tls12, "it@tailspin.example", "d@northwind.example"),
        // Outbound without a connector.
        trace("2026-11-21T07:00:00Z", Out, std::nullopt, TlsVersion::Tls13, "sales@tailspin.example", "x@woodgrove.example"),
        trace("2026-11-21T07:30:00Z", Out, std::nullopt, TlsVersion::Tls13, "sales@tailspin.example", "y@woodgrove.example"),
    });
  }

  std::unique_ptr<TraceStore> store_;
  Registry registry_;
  InsightRuleSet rules_;
  Session session_;
  std::int64_t fingerprint_ = 0;
};

}  // namespace mailflow::testing
