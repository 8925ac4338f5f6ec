// Get-TlsPeerReport: which remote peers still use old TLS, from the TLS peer
// rollup (reports/tls_readiness.h).
#include "cmdlets/report_parameters.h"
#include "cmdlets/tls_readiness_records.h"
#include "core/error.h"
#include "reports/tls_readiness.h"

namespace mailflow {

CmdletSpec get_tls_peer_report_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-TlsPeerReport";
  spec.synopsis = "Delivered messages per remote peer and TLS version: who still uses TLS 1.0, 1.1 or plain text.";
  spec.description =
      "One row per remote peer and direction with the Delivered messages of the range per TLS version. "
      "Inbound the peer is the sending server, outbound the recipient domain or the relay host. -By Domain "
      "(default) groups host names under their registered domain from the Public Suffix List "
      "(mx1.mail.fabrikam.com counts under fabrikam.com; outbound: the recipient's domain); hosts without "
      "a name are grouped by IP. -By Host lists each host name (else its IP), -By IP each address. "
      "-MaximumVersion keeps the peers that used that version or a weaker one at least once (None is the "
      "weakest). Rows are sorted by the messages at risk (below TLS 1.2), then by messages.";
  spec.parameters = declare_parameters({
      ParameterSet::Range, ParameterSet::Direction, ParameterSet::Connector,
      Param::Enum("By", {"Domain", "Host", "IP"}, "what a peer is: Domain (default), Host or IP")
          .default_value(Value("Domain")),
      Param::Enum("MaximumVersion", {"None", "TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"},
                  "only peers that used this TLS version or a weaker one at least once")
          .completion(Completion::TlsVersion),
      Param::Int("First", "only the first N peers").min(1),
  });
  spec.outputs = kTlsPeerColumns;
  spec.examples = {
      {"Get-TlsPeerReport -Days 30 -MaximumVersion TLS1.1",
       "The peers that used TLS 1.1, TLS 1.0 or plain text in the last 30 days, most messages at risk first."},
      {"Get-TlsPeerReport -Direction Inbound -By Host -First 10", "The ten inbound sending hosts with most old-TLS mail."},
  };
  spec.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream>)
      -> std::unique_ptr<RecordStream> {
    ReportFilter filter = bound_report_filter(session, params);
    TlsPeerQuery query;
    std::string by = params.string("By").value_or("Domain");
    query.by = iequals(by, "Host") ? PeerKey::Host : iequals(by, "IP") ? PeerKey::Ip : PeerKey::Domain;
    if (auto v = params.string("MaximumVersion")) {
      query.maximum_version = parse_tls(*v);
      if (!query.maximum_version || *query.maximum_version == TlsVersion::Unknown || trim(*v).empty())
        throw Error("InvalidParameter", "-MaximumVersion '" + *v + "' is not one of None, TLS1.0, TLS1.1, TLS1.2, TLS1.3");
    }
    if (auto n = params.integer("First")) {
      if (*n < 1) throw Error("InvalidParameter", "-First " + std::to_string(*n) + " is not 1 or more");
      query.first = *n;
    }
    return std::make_unique<VectorStream>(tls_peer_records(tls_peer_report(*session.store, filter, query)));
  };
  return spec;
}

}  // namespace mailflow
