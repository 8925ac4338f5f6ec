// Runs one built-in cmdlet the way the shell does after binding: declared
// defaults filled in, the input as a stream, the output drained.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cmdlets/builtin.h"
#include "host/cmdlet.h"
#include "host/session.h"

namespace mailflow::testing {

class CmdletFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("LC_ALL", "C.UTF-8", 1);
    register_builtin_cmdlets(registry_);
    session_.registry = &registry_;
    session_.terminal_width = 80;
  }
  void TearDown() override { unsetenv("LC_ALL"); }

  std::vector<Value> run_values(const std::string& name, BoundParameters params,
                                std::vector<Value> input = {}) {
    const CmdletSpec* spec = registry_.find(name);
    if (!spec) throw std::logic_error("no cmdlet " + name);
    for (const ParamSpec& p : spec->parameters)
      if (p.default_value && !params.has(p.name)) params.set(p.name, *p.default_value);
    auto out = spec->run(session_, params, std::make_unique<VectorStream>(std::move(input)));
    return collect(*out);
  }

  // For cmdlets that emit lines of text.
  std::vector<std::string> run(const std::string& name, BoundParameters params,
                               std::vector<Value> input = {}) {
    std::vector<std::string> lines;
    for (const Value& v : run_values(name, std::move(params), std::move(input))) {
      EXPECT_TRUE(v.is_string()) << v.to_display();
      lines.push_back(v.to_display());
    }
    return lines;
  }

  Registry registry_;
  Session session_;
};

inline BoundParameters params(std::initializer_list<std::pair<const char*, Value>> values) {
  BoundParameters p;
  for (const auto& [name, value] : values) p.set(name, value);
  return p;
}

inline Value strings(std::vector<std::string> items) {
  Array a;
  for (std::string& s : items) a.emplace_back(std::move(s));
  return Value(std::move(a));
}

// A Get-TlsUsage-shaped record (SPEC 5).
inline Value tls_row(const char* direction, Value connector, const char* tls, std::int64_t messages,
                     double percent) {
  return make_record({"Direction", "Connector", "TlsVersion", "Messages", "Percent"},
                     {Value(direction), std::move(connector), Value(tls), Value(messages),
                      Value(percent)});
}

// Expects a mailflow::Error whose message is exactly `message`.
#define EXPECT_ERROR_MESSAGE(statement, message)                                  \
  do {                                                                            \
    try {                                                                         \
      statement;                                                                  \
      ADD_FAILURE() << "expected an error: " << (message);                        \
    } catch (const ::mailflow::Error& e) {                                        \
      EXPECT_EQ(std::string(e.what()), std::string(message));                    \
    }                                                                             \
  } while (0)

}  // namespace mailflow::testing
