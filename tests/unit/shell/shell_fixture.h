// A registry with the pipeline utilities and fake data cmdlets, an in-memory
// ScriptHost, and helpers to run pipelines in unit tests.
#pragma once

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cmdlets/builtin.h"
#include "host/cmdlet.h"
#include "host/script_host.h"
#include "host/session.h"
#include "core/error.h"
#include "shell/comparison.h"
#include "shell/shell.h"

namespace mailflow::testing {

// Lua stand-in: `$x = ...` and `$x | ...` only need a variable table.
class MemoryScriptHost : public ScriptHost {
 public:
  void set_variable(const std::string& name, const std::vector<Value>& values) override {
    vars[name] = values;
  }
  std::optional<std::vector<Value>> get_variable(const std::string& name) override {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  }
  void run_interactive(const std::string& code, std::ostream& out) override { out << "lua:" << code << "\n"; }
  bool is_complete(const std::string&) override { return true; }
  std::vector<std::string> global_names() override { return {}; }
  std::map<std::string, std::vector<Value>> vars;
};

// What the fake trace source saw: how many records were pulled from it and
// which parameters it was bound with.
struct SourceLog {
  int pulled = 0;
  std::vector<BoundParameters> calls;
};

// Trace-like record i (deterministic).
inline Value fake_trace(int i) {
  static const auto schema = std::make_shared<const Schema>(std::vector<std::string>{
      "Received", "Direction", "Connector", "TlsVersion", "SenderAddress", "Size"});
  static const char* tls[] = {"TLS1.2", "TLS1.0", "None", "TLS1.3"};
  Value connector = i % 3 == 0 ? Value() : Value(i % 3 == 1 ? "Contoso Partner" : "Fabrikam");
  return Value(Record(schema, {Value(DateTime{1763251200 + 3600LL * i}),  // 2025-11-16T00:00:00Z + i h
                               Value(i % 2 == 0 ? "Inbound" : "Outbound"), connector,
                               Value(tls[i % 4]),
                               Value("user" + std::to_string(i) +
                                     (i % 2 == 0 ? "@contoso.com" : "@fabrikam.com")),
                               Value(std::int64_t{1000 + i})}));
}

// Get-FakeTrace: emits -Count fake traces lazily, filtered by its own
// parameters (so a pushed-down filter gives the same records), and declares
// the pushdown rules Get-MessageTrace declares.
inline CmdletSpec fake_trace_cmdlet(std::shared_ptr<SourceLog> log) {
  CmdletSpec c;
  c.name = "Get-FakeTrace";
  c.aliases = {"gft"};
  auto param = [](const char* name, ParamType type) {
    ParamSpec p;
    p.name = name;
    p.type = type;
    return p;
  };
  ParamSpec direction = param("Direction", ParamType::Enum);
  direction.validate_set = {"Inbound", "Outbound"};
  ParamSpec tls = param("TlsVersion", ParamType::Enum);
  tls.validate_set = {"None", "TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"};
  ParamSpec count = param("Count", ParamType::Int);
  count.default_value = Value(std::int64_t{12});
  count.min = 0;
  c.parameters = {direction, param("Connector", ParamType::String), tls,
                  param("SenderAddress", ParamType::String), param("ReceivedAfter", ParamType::Date),
                  param("ReceivedBefore", ParamType::Date), count};
  c.pushdown = {{"Direction", "eq", "Direction"},         {"Connector", "eq", "Connector"},
                {"TlsVersion", "eq", "TlsVersion"},       {"SenderAddress", "eq", "SenderAddress"},
                {"SenderAddress", "like", "SenderAddress"}, {"Received", "gt", "ReceivedAfter"},
                {"Received", "ge", "ReceivedAfter"},      {"Received", "lt", "ReceivedBefore"},
                {"Received", "le", "ReceivedBefore"}};
  c.run = [log](Session&, const BoundParameters& params, std::unique_ptr<RecordStream>)
      -> std::unique_ptr<RecordStream> {
    log->calls.push_back(params);
    struct Stream : RecordStream {
      std::shared_ptr<SourceLog> log;
      BoundParameters params;
      int i = 0, n = 0;
      std::optional<Value> next() override {
        while (i < n) {
          Value v = fake_trace(i++);
          ++log->pulled;
          const Record& r = v.as_record();
          auto differs = [&](const char* name) {
            auto want = params.string(name);
            return want && !iequals(*want, r.get(name)->to_display());
          };
          if (differs("Direction") || differs("Connector") || differs("TlsVersion")) continue;
          if (auto sender = params.string("SenderAddress");
              sender && !Wildcard(*sender).matches(r.get("SenderAddress")->as_string()))
            continue;
          if (auto after = params.instant("ReceivedAfter"); after && r.get("Received")->as_datetime().seconds < *after) continue;
          if (auto before = params.instant("ReceivedBefore"); before && r.get("Received")->as_datetime().seconds > *before) continue;
          return v;
        }
        return std::nullopt;
      }
    };
    auto s = std::make_unique<Stream>();
    s->log = log;
    s->params = params;
    s->n = static_cast<int>(*params.integer("Count"));
    return s;
  };
  return c;
}

struct ShellFixture {
  ShellFixture() {
    register_builtin_cmdlets(registry);
    registry.add(fake_trace_cmdlet(log));
    session.registry = &registry;
    session.lua = &lua;
  }

  std::vector<Value> invoke(const std::string& text) { return invoke_pipeline(session, text); }

  // Each value as PowerShell's @{A=1; B=x} text, one per line.
  std::string lines(const std::string& text) {
    std::string out;
    for (const Value& v : invoke(text)) out += v.to_display() + "\n";
    return out;
  }

  // The error a line raises, as run_line prints it.
  std::string error_of(const std::string& text) {
    std::ostringstream out;
    try {
      run_line(session, text, out);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }

  Registry registry;
  Session session;
  MemoryScriptHost lua;
  std::shared_ptr<SourceLog> log = std::make_shared<SourceLog>();
};

}  // namespace mailflow::testing
