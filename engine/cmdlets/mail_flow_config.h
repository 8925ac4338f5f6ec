// Settings kept in the store's config table (Set-MailFlowConfig /
// Get-MailFlowConfig): MaxReportDays, and the value in force for every insight
// rule parameter (NoTlsThreshold, Tls10Threshold, ...), and the organisation
// boundary Postfix imports use (OrganizationDomains, InternalNetworks). A setting is declared
// once as a ParamSpec: adding one (e.g. -OrganizationDomains) is one entry in
// config_settings() - encoding, validation, Get and Set follow from its type.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/cmdlet.h"
#include "store/trace_store.h"

namespace mailflow {

class Culture;

struct ConfigSetting {
  ParamSpec param;      // how Set-MailFlowConfig takes it; param.name is the config key
  Value default_value;  // in force while the setting was never set
  // For list settings: throws Error naming the parameter and the bad item.
  void (*check_items)(const std::vector<std::string>& items, const std::string& parameter) = nullptr;
};

// The fixed settings, in Get-MailFlowConfig order. Rule parameters are
// Set-MailFlowConfig's dynamic parameters (insight_rule_parameters).
const std::vector<ConfigSetting>& config_settings();

// The stored value of `param`, decoded by its type; nullopt when never set.
// Throws Error("CorruptSetting") naming the key when the stored text does not
// decode (the config table was edited by hand).
std::optional<Value> read_setting(TraceStore& store, const ParamSpec& param);

// Checks `value` against the parameter's range, then stores it. Throws
// Error("InvalidSetting") naming the parameter and the allowed range.
void write_setting(TraceStore& store, const ParamSpec& param, const Value& value);

inline constexpr const char* kMaxReportDays = "MaxReportDays";
inline constexpr const char* kOrganizationDomains = "OrganizationDomains";
inline constexpr const char* kInternalNetworks = "InternalNetworks";
inline constexpr const char* kCulture = "Culture";

// The MaxReportDays in force (stored, else 30).
int max_report_days(TraceStore& store);

// The culture in force: the stored Culture, else the environment's (LC_ALL,
// LC_MESSAGES, LANG through `getenv`). Throws Error("CorruptSetting") for a
// stored name that is not a culture, Error("CatalogNotFound") when its
// catalog is not installed.
std::shared_ptr<const Culture> culture_in_force(TraceStore& store,
                                               const std::function<const char*(const char*)>& getenv);

// A rule parameter's stored value (NoTlsThreshold ...), nullopt when never set.
std::optional<double> stored_rule_parameter(TraceStore& store, const std::string& name);

}  // namespace mailflow
