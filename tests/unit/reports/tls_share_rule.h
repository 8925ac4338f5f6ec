// A C++ insight rule that behaves like the built-in Lua rules NoTls and Tls10
// (stdlib/): fires when one TLS version's share of a connector's messages is
// strictly above a threshold parameter. Used by tests and the benchmark.
#pragma once

#include <cstdio>

#include "reports/insight_rule.h"

namespace mailflow::testing {

class TlsShareRule : public InsightRule {
 public:
  TlsShareRule(std::string name, TlsVersion version, std::string parameter, double default_threshold,
               std::string title_format, std::string recommendation = "")
      : name_(std::move(name)), version_(version), title_format_(std::move(title_format)),
        recommendation_(std::move(recommendation)) {
    params_.push_back({std::move(parameter), default_threshold, "share in percent that fires the rule"});
  }

  static std::unique_ptr<InsightRule> no_tls() {
    return std::make_unique<TlsShareRule>("NoTls", TlsVersion::None, "NoTlsThreshold", 25,
                                          "No TLS is over %g%%");
  }
  static std::unique_ptr<InsightRule> tls10() {
    return std::make_unique<TlsShareRule>("Tls10", TlsVersion::Tls10, "Tls10Threshold", 50,
                                          "TLS 1.0 is above %g%%");
  }

  const std::string& name() const override { return name_; }
  std::string title(const std::map<std::string, double>& params) const override {
    char buf[128];
    std::snprintf(buf, sizeof buf, title_format_.c_str(), threshold(params));
    return buf;
  }
  const std::vector<RuleParameter>& parameters() const override { return params_; }
  const std::string& source() const override { return source_; }
  RuleVerdict evaluate(const InsightStats& stats, const std::map<std::string, double>& params) override {
    ++evaluations;
    last_stats = stats;
    RuleVerdict v;
    v.value = stats.percent.at(version_);
    v.threshold = threshold(params);
    v.fires = v.value > v.threshold;
    if (!recommendation_.empty()) v.recommendation = recommendation_;
    return v;
  }

  int evaluations = 0;
  InsightStats last_stats;

 private:
  double threshold(const std::map<std::string, double>& params) const {
    auto it = params.find(params_.front().name);
    return it == params.end() ? params_.front().default_value : it->second;
  }

  std::string name_;
  TlsVersion version_;
  std::string title_format_;
  std::string recommendation_;
  std::vector<RuleParameter> params_;
  std::string source_ = "tests/unit/reports/tls_share_rule.h";
};

}  // namespace mailflow::testing
