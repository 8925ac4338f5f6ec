// Set-MailFlowConfig and Get-MailFlowConfig, and the encoding of settings in
// the store's config table (key = parameter name, value = text).
#include "cmdlets/mail_flow_config.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "cmdlets/insight_parameters.h"
#include "host/session.h"
#include "core/connector.h"
#include "core/date_range.h"
#include "core/error.h"
#include "locale/messages.h"
#include "reports/insight_rule.h"
#include "host/parameters.h"

namespace mailflow {

const std::vector<ConfigSetting>& config_settings() {
  static const std::vector<ConfigSetting> settings = [] {
    std::vector<ConfigSetting> s;
    s.push_back({Param::Int(kMaxReportDays, "the longest date range reports accept, in days (default 30, the dashboard's cap)")
                     .min(1)
                     .max(3660),
                 Value(static_cast<std::int64_t>(kDefaultMaxReportDays))});

    auto list_setting = [&](const char* name, const char* help, Array default_items,
                            void (*check)(const std::vector<std::string>&, const std::string&)) {
      s.push_back({Param::Strings(name, help), Value(std::move(default_items)), check});
    };
    list_setting(kOrganizationDomains,
                 "the domains of the organisation (contoso.com, *.contoso.com): mail to them is "
                 "delivered inside, mail from a client outside InternalNetworks to them is inbound; "
                 "$null clears",
                 {}, [](const std::vector<std::string>& items, const std::string& parameter) {
                   parse_domain_patterns(items, parameter);
                 });
    list_setting(kInternalNetworks,
                 "the organisation's client networks as IPv4/IPv6 addresses or CIDR ranges "
                 "(10.0.0.0/8, 2001:db8::/32): their mail is not inbound; default the loopback "
                 "ranges; $null clears",
                 {Value("127.0.0.0/8"), Value("::1/128")},
                 [](const std::vector<std::string>& items, const std::string& parameter) {
                   parse_ip_ranges(items, parameter);
                 });
    s.push_back({Param::String(kCulture,
                               "the language and number and date formats of what a person reads (dashboard, "
                               "insight titles and recommendations, charts, warnings): en, es-ES, sv-SE, zh-TW, "
                               "it-IT or nl-NL; $null goes back to LC_ALL, LC_MESSAGES, LANG"),
                 Value()});
    return s;
  }();
  return settings;
}

namespace {

std::string format_number(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

// The items of a list setting as given: `a,b` arrives as an array, one value
// as a string; blanks are dropped.
std::vector<std::string> list_items(const Value& v) {
  std::vector<std::string> items;
  auto add = [&](const Value& item) {
    std::string text(trim(item.to_display()));
    if (!text.empty()) items.push_back(text);
  };
  if (v.is_array())
    for (const Value& item : v.as_array()) add(item);
  else if (!v.is_null())
    add(v);
  return items;
}

std::string encode(const ParamSpec& param, const Value& v) {
  switch (param.type) {
    case ParamType::Int: return std::to_string(static_cast<std::int64_t>(v.as_number()));
    case ParamType::Double: return format_number(v.as_number());
    case ParamType::StringArray: return join(list_items(v), ",");
    case ParamType::Switch: return v.truthy() ? "True" : "False";
    default: return v.to_display();
  }
}

[[noreturn]] void corrupt(const std::string& key, const std::string& text) {
  throw Error("CorruptSetting", "setting " + key + " in the store has the unreadable value '" +
                                    text + "'; set it again with Set-MailFlowConfig -" + key);
}

Value decode(const ParamSpec& param, const std::string& text) {
  switch (param.type) {
    case ParamType::Int: {
      char* end = nullptr;
      long long n = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end) corrupt(param.name, text);
      return Value(static_cast<std::int64_t>(n));
    }
    case ParamType::Double: {
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (text.empty() || *end || !std::isfinite(d)) corrupt(param.name, text);
      return Value(d);
    }
    case ParamType::StringArray: {
      Array items;
      if (!text.empty())
        for (const std::string& item : split(text, ',')) items.emplace_back(item);
      return Value(std::move(items));
    }
    case ParamType::Switch: return Value(text == "True");
    default: return Value(text);
  }
}

std::string range_text(double d) { return Value(d).to_display(); }


}  // namespace

std::optional<Value> read_setting(TraceStore& store, const ParamSpec& param) {
  auto text = store.get_config(param.name);
  if (!text) return std::nullopt;
  return decode(param, *text);
}

void write_setting(TraceStore& store, const ParamSpec& param, const Value& value) {
  if (param.type == ParamType::Int || param.type == ParamType::Double) {
    if (!value.is_number() || !std::isfinite(value.as_number()))
      throw Error("InvalidSetting", "-" + param.name + " needs a number, not '" +
                                        value.to_display() + "'");
    double d = value.as_number();
    if (param.type == ParamType::Int && d != std::floor(d))
      throw Error("InvalidSetting", "-" + param.name + " needs a whole number, not " +
                                        value.to_display());
    if ((param.min && d < *param.min) || (param.max && d > *param.max))
      throw Error("InvalidSetting", "-" + param.name + " " + value.to_display() +
                                        " is out of range: give " +
                                        (param.min ? range_text(*param.min) : "any") + " to " +
                                        (param.max ? range_text(*param.max) : "any"));
  }
  if (iequals(param.name, kCulture)) {
    if (value.is_null() || value.to_display().empty()) {
      store.set_config(kCulture, "");
      return;
    }
    // Checked (and its catalog loaded) before it is stored.
    std::shared_ptr<const Culture> culture;
    try {
      culture = Culture::get(value.to_display());
    } catch (const Error& e) {
      if (e.id() != "UnknownCulture") throw;
      throw Error("InvalidSetting", "-" + std::string(kCulture) + " " + e.what());
    }
    store.set_config(kCulture, culture->name());
    return;
  }
  if (param.type == ParamType::StringArray) {
    for (const ConfigSetting& s : config_settings())
      if (s.check_items && iequals(s.param.name, param.name)) s.check_items(list_items(value), param.name);
  }
  store.set_config(param.name, encode(param, value));
}

int max_report_days(TraceStore& store) {
  const ParamSpec& param = config_settings().front().param;
  auto v = read_setting(store, param);
  if (!v) return kDefaultMaxReportDays;
  std::int64_t n = v->as_int();
  if (n < 1 || n > static_cast<std::int64_t>(*param.max)) corrupt(param.name, std::to_string(n));
  return static_cast<int>(n);
}

std::shared_ptr<const Culture> culture_in_force(TraceStore& store,
                                               const std::function<const char*(const char*)>& getenv) {
  auto stored = store.get_config(kCulture);
  if (!stored || stored->empty()) return Culture::from_environment(getenv);
  if (Culture::canonical_name(*stored).empty()) corrupt(kCulture, *stored);
  return Culture::get(*stored);
}

std::optional<double> stored_rule_parameter(TraceStore& store, const std::string& name) {
  auto v = read_setting(store, Param::Double(name, ""));
  if (!v) return std::nullopt;
  return v->as_double();
}

namespace {

std::unique_ptr<RecordStream> set_mail_flow_config(Session& session, const BoundParameters& params,
                                                   std::unique_ptr<RecordStream>) {
  const CmdletSpec* declared = session.registry ? session.registry->find("Set-MailFlowConfig") : nullptr;
  std::shared_ptr<const CmdletSpec> self = declared ? with_dynamic_parameters(*declared, session) : nullptr;
  std::vector<std::pair<const ParamSpec*, const Value*>> changes;
  for (const auto& [name, value] : params.all()) {
    const ParamSpec* spec = self ? self->parameter(name) : nullptr;
    if (!spec)  // only reachable when called without the registry's binder
      for (const ConfigSetting& s : config_settings())
        if (iequals(s.param.name, name)) spec = &s.param;
    if (!spec)
      throw Error("ParameterBindingFailed", "Set-MailFlowConfig has no setting '" + name + "'");
    // $null clears a list setting (back to its default) and Culture (back to
    // the environment's); other settings keep it.
    if (!value.is_null() || spec->type == ParamType::StringArray || iequals(spec->name, kCulture))
      changes.push_back({spec, &value});
  }
  if (changes.empty()) {
    std::vector<std::string> names;
    if (self)
      for (const ParamSpec& p : self->parameters) names.push_back("-" + p.name);
    throw Error("MissingSetting", "Set-MailFlowConfig: give at least one setting to change (" +
                                      join(names, ", ") + ")");
  }
  // All or nothing: one bad value changes no setting.
  Transaction tx(session.store->db());
  for (const auto& [spec, value] : changes) write_setting(*session.store, *spec, *value);
  tx.commit();
  // The new culture applies from the next command on.
  for (const auto& [spec, value] : changes)
    if (iequals(spec->name, kCulture))
      set_default_culture(culture_in_force(*session.store, [](const char* n) { return std::getenv(n); }));
  return std::make_unique<VectorStream>(std::vector<Value>{});
}

std::unique_ptr<RecordStream> get_mail_flow_config(Session& session, const BoundParameters&,
                                                   std::unique_ptr<RecordStream>) {
  std::vector<std::string> names;
  std::vector<Value> values;
  for (const ConfigSetting& s : config_settings()) {
    names.push_back(s.param.name);
    if (iequals(s.param.name, kCulture))  // in force: stored, else the environment's
      values.emplace_back(current_culture().name());
    else
      values.push_back(read_setting(*session.store, s.param).value_or(s.default_value));
  }
  if (session.rules) {
    std::set<std::string, ILess> seen(names.begin(), names.end());
    for (InsightRule* rule : session.rules->all())
      for (const RuleParameter& p : rule->parameters()) {
        if (!seen.insert(p.name).second) continue;
        names.push_back(p.name);
        double value = stored_rule_parameter(*session.store, p.name).value_or(p.default_value);
        values.emplace_back(value);
      }
  }
  std::vector<Value> out{make_record(names, std::move(values))};
  return std::make_unique<VectorStream>(std::move(out));
}

}  // namespace

CmdletSpec set_mail_flow_config_cmdlet() {
  CmdletSpec spec;
  spec.name = "Set-MailFlowConfig";
  spec.synopsis = "Changes settings kept in the trace store.";
  spec.description =
      "Stores MaxReportDays (the longest range reports accept), the organisation boundary "
      "(OrganizationDomains, InternalNetworks) that server-log imports use, and the default of "
      "every insight rule parameter (NoTlsThreshold, Tls10Threshold, ...). Get-MailFlowInsights "
      "uses a stored threshold unless the parameter is given. Culture sets the language and "
      "number and date formats of what a person reads (the dashboard, insight titles and "
      "recommendations, charts, the REPL banner, import warnings; not Get-Help, errors or "
      "JSON/CSV output). All given settings change together or none does; $null clears a list "
      "setting or Culture.";
  std::vector<ParamEntry> settings;
  for (const ConfigSetting& s : config_settings()) settings.emplace_back(s.param);
  spec.parameters = declare_parameters(std::move(settings), spec.name);
  // And a default for every parameter the loaded insight rules declare.
  spec.dynamic_parameters = [](const Session& session) { return insight_rule_parameters(session, false); };
  spec.examples = {
      {"Set-MailFlowConfig -MaxReportDays 90", "Lets reports cover up to 90 days."},
      {"Set-MailFlowConfig -MaxReportDays 30", "Back to the dashboard's cap. Rule parameters (-NoTlsThreshold 10) are stored the same way."},
      {"Set-MailFlowConfig -OrganizationDomains contoso.com,*.contoso.com -InternalNetworks 10.0.0.0/8,2001:db8::/32",
       "Draws the organisation boundary that Postfix imports use to tell inbound, outbound and internal mail apart."},
      {"Set-MailFlowConfig -Culture sv-SE",
       "Dashboard, insight texts, charts and warnings in Swedish from now on; Get-Help and errors stay English."},
  };
  spec.run = set_mail_flow_config;
  return spec;
}

CmdletSpec get_mail_flow_config_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-MailFlowConfig";
  spec.synopsis = "Shows the settings in force.";
  spec.description =
      "One record with every setting: the stored value, or the default when it was never set.";
  // Then the built-in rules' parameters in the order the rules load (rules
  // from --rules add theirs after these).
  spec.outputs = {kMaxReportDays, kOrganizationDomains, kInternalNetworks, kCulture, "NoTlsThreshold",
                  "PlainTextRisePoints", "Tls10Threshold", "TlsFailuresThreshold"};
  spec.examples = {{"Get-MailFlowConfig", "Shows MaxReportDays and the insight thresholds."}};
  spec.run = get_mail_flow_config;
  return spec;
}

}  // namespace mailflow
