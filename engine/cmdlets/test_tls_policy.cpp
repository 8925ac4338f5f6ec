// Test-TlsPolicy: the what-if of a minimum TLS version (and of requiring
// TLS), per direction and connector, from the TLS peer rollup.
#include "cmdlets/report_parameters.h"
#include "cmdlets/report_records.h"
#include "cmdlets/tls_readiness_records.h"
#include "core/error.h"
#include "reports/tls_readiness.h"

namespace mailflow {

CmdletSpec test_tls_policy_cmdlet() {
  CmdletSpec spec;
  spec.name = "Test-TlsPolicy";
  spec.synopsis = "What a minimum TLS version would break: messages, connectors and peers below it.";
  spec.description =
      "For the Delivered messages of the range whose TLS is known, per direction and connector: how many "
      "used a TLS version below -MinimumVersion (inbound they would have been refused, outbound deferred), "
      "their share, and the peers (domains) that sent or received them, most messages first. Plain text "
      "counts as at risk only with -RequireTls (a minimum version applies to TLS sessions). -AsInsight "
      "returns insight rows (Rule TlsPolicy) for the groups with messages at risk, so that a script can "
      "fail a change review: exit(3) when any row comes back.";
  spec.parameters = declare_parameters({
      Param::Enum("MinimumVersion", {"TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"},
                  "the lowest TLS version the policy allows")
          .mandatory()
          .position(0)
          .completion(Completion::TlsVersion),
      ParameterSet::Range, ParameterSet::Direction, ParameterSet::Connector,
      Param::Switch("RequireTls", "plain-text messages are at risk too"),
      Param::Switch("AsInsight", "insight rows for the groups with messages at risk"),
  });
  // The what-if rows, or with -AsInsight the insight rows.
  spec.outputs = merged_columns(kTlsPolicyColumns, kInsightColumns);
  spec.examples = {
      {"Test-TlsPolicy -MinimumVersion TLS1.2 -Days 30", "What requiring TLS 1.2 would have broken in the last 30 days."},
      {"Test-TlsPolicy TLS1.2 -RequireTls -Direction Outbound -AsInsight",
       "Insight rows for outbound connectors that would defer mail if TLS 1.2 were mandatory."},
  };
  spec.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream>)
      -> std::unique_ptr<RecordStream> {
    ReportFilter filter = bound_report_filter(session, params);
    TlsPolicy policy;
    std::string v = params.string("MinimumVersion").value_or("");
    std::optional<TlsVersion> minimum = parse_tls(v);
    if (!minimum || *minimum == TlsVersion::Unknown || *minimum == TlsVersion::None || trim(v).empty())
      throw Error("InvalidParameter", "-MinimumVersion '" + v + "' is not one of TLS1.0, TLS1.1, TLS1.2, TLS1.3");
    policy.minimum = *minimum;
    policy.require_tls = params.flag("RequireTls");
    std::vector<TlsPolicyRow> rows = test_tls_policy(*session.store, filter, policy);
    if (params.flag("AsInsight"))
      return std::make_unique<VectorStream>(insight_records(tls_policy_findings(rows, policy)));
    return std::make_unique<VectorStream>(tls_policy_records(rows));
  };
  return spec;
}

}  // namespace mailflow
