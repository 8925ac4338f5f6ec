// Get-TlsUsage: the TLS usage view and the "Message protected in transit (by
// TLS)" summary, from the daily rollup.
#include "cmdlets/report_parameters.h"
#include "cmdlets/report_records.h"
#include "cmdlets/tls_readiness_records.h"
#include "core/error.h"
#include "reports/tls_readiness.h"
#include "reports/tls_usage.h"

namespace mailflow {

CmdletSpec get_tls_usage_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-TlsUsage";
  spec.synopsis = "Delivered messages per TLS version, as a share of each direction or connector.";
  spec.description =
      "Counts Delivered messages in the range by TLS version. Without -ByConnector each direction "
      "is one group (the 'Message protected in transit (by TLS)' summary, all traffic); with "
      "-ByConnector each direction and connector is one group, traffic without a connector as "
      "Connector null. Percent is the share of the group's messages, rounded half away from zero "
      "to two decimals. Versions that occur are listed strongest first: TLS1.3, TLS1.2, TLS1.1, "
      "TLS1.0, None. With -ByTrust the rows give TlsTrust instead of TlsVersion: Verified, Trusted, "
      "Untrusted, Anonymous as a share of the messages whose trust the log recorded, then Unknown (a "
      "count, no percent).";
  spec.parameters = declare_parameters({
      ParameterSet::Range, ParameterSet::Direction, ParameterSet::Connector,
      Param::Switch("ByConnector", "one group per direction and connector instead of per direction"),
      Param::Switch("ByTrust", "shares of the peer certificate's trust (Verified, Trusted, Untrusted, "
                               "Anonymous) instead of versions"),
  });
  // The version rows' columns, then the trust rows' TlsTrust in its place.
  spec.outputs = merged_columns(kTlsUsageColumns, kTlsTrustColumns);
  spec.examples = {
      {"Get-TlsUsage -Days 30", "How much of the last 30 days' mail was protected by TLS, per direction."},
      {"Get-TlsUsage -ByConnector -Direction Inbound", "TLS versions per inbound connector over the last 7 days."},
      {"Get-TlsUsage -ByTrust -Direction Outbound -ByConnector",
       "How many outbound messages went to a verified certificate, per connector: the first step towards DANE and MTA-STS."},
  };
  spec.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream>)
      -> std::unique_ptr<RecordStream> {
    ReportFilter filter = bound_report_filter(session, params);
    bool by_connector = params.flag("ByConnector");
    if (params.flag("ByTrust"))
      return std::make_unique<VectorStream>(
          tls_trust_records(tls_trust_usage(*session.store, filter, by_connector), by_connector));
    return std::make_unique<VectorStream>(
        tls_usage_records(tls_usage(*session.store, filter, by_connector), by_connector));
  };
  return spec;
}

}  // namespace mailflow
