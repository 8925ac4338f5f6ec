// New-/Get-/Set-/Remove-InboundConnector and -OutboundConnector: connector
// definitions kept in the store (ConnectorStore), used to attribute traffic
// of log formats to connectors (Get-Help about_Connectors).
#include <ctime>
#include <memory>

#include "host/cmdlet.h"
#include "host/session.h"
#include "core/connector.h"
#include "core/error.h"
#include "core/text.h"
#include "store/connector_store.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

// -Identity: the connector's name, from the pipeline's Name for Set- and Remove-.
Param identity_param(bool mandatory, bool pipeline_input = true) {
  return Param::String("Identity", "the connector's name")
      .aliases({"Name"})
      .position(0)
      .mandatory(mandatory)
      .pipeline_input(pipeline_input)
      .completion(Completion::Connector);
}

// -Identity as given, else the Identity (or Name) of each pipeline record,
// as PowerShell binds ByPropertyName: `Get-InboundConnector | Remove-InboundConnector`.
std::vector<std::string> identities(const BoundParameters& p, RecordStream& input) {
  if (auto id = p.string("Identity")) return {*id};
  std::vector<std::string> out;
  while (auto v = input.next()) {
    const Value* name = nullptr;
    if (v->is_record()) {
      name = v->as_record().get("Identity");
      if (!name) name = v->as_record().get("Name");
    }
    out.push_back(name ? name->to_display() : v->to_display());
  }
  return out;
}

// `first`, then the parameters that describe a connector, for New- and Set-.
std::vector<ParamSpec> definition_params(Direction d, Param first) {
  std::vector<ParamEntry> out = {
      std::move(first),
      Param::Enum("ConnectorType", {"Partner", "OnPremises"},
                  "Partner (another organisation) or OnPremises (your own servers)"),
  };
  if (d == Direction::Inbound) {
    out.push_back(Param::Strings("SenderDomains", "sender domains this connector receives from; wildcards like *.contoso.com"));
    out.push_back(Param::Strings("SenderIPAddresses", "sending server addresses or CIDR ranges, IPv4 or IPv6"));
    out.push_back(Param::String("TlsSenderCertificateName",
                                "the certificate name partner servers present (kept; logs do not carry it)"));
  } else {
    out.push_back(Param::Strings("RecipientDomains", "recipient domains this connector sends to; wildcards like *.contoso.com"));
    out.push_back(Param::Strings("SmartHosts", "relay hosts (names or IP addresses) mail goes through"));
  }
  out.push_back(Param::Switch("RequireTls", "the connector requires TLS"));
  out.push_back(Param::Switch("Enabled", "use the connector for attribution (-Enabled:$false to disable)"));
  out.push_back(Param::String("Comment", "free text"));
  return declare_parameters(std::move(out));
}

// Applies the bound definition parameters to `c` (only those given).
void apply(Connector& c, const BoundParameters& p) {
  if (auto v = p.string("ConnectorType")) c.connector_type = *v;
  if (p.has("SenderDomains")) c.sender_domains = parse_domain_patterns(p.strings("SenderDomains"), "SenderDomains");
  if (p.has("SenderIPAddresses"))
    c.sender_ips = parse_ip_ranges(p.strings("SenderIPAddresses"), "SenderIPAddresses");
  if (p.has("TlsSenderCertificateName")) {
    std::string v = p.string("TlsSenderCertificateName").value_or("");
    c.tls_sender_certificate_name = v.empty() ? std::nullopt : std::optional<std::string>(v);
  }
  if (p.has("RecipientDomains"))
    c.recipient_domains = parse_domain_patterns(p.strings("RecipientDomains"), "RecipientDomains");
  if (p.has("SmartHosts")) c.smart_hosts = parse_smart_hosts(p.strings("SmartHosts"));
  if (p.has("RequireTls")) c.require_tls = p.flag("RequireTls");
  if (p.has("Enabled")) c.enabled = p.flag("Enabled");
  if (p.has("Comment")) {
    std::string v = p.string("Comment").value_or("");
    c.comment = v.empty() ? std::nullopt : std::optional<std::string>(v);
  }
}

Value strings_value(const std::vector<std::string>& items) {
  Array a;
  for (const std::string& s : items) a.emplace_back(s);
  return Value(std::move(a));
}

template <typename T, typename F>
Value formatted(const std::vector<T>& items, F format) {
  Array a;
  for (const T& item : items) a.emplace_back(format(item));
  return Value(std::move(a));
}

std::vector<std::string> output_names(Direction d) {
  if (d == Direction::Inbound)
    return {"Name", "ConnectorType", "Enabled", "SenderDomains", "SenderIPAddresses", "TlsSenderCertificateName",
            "RequireTls", "Comment", "WhenCreated"};
  return {"Name", "ConnectorType", "Enabled", "RecipientDomains", "SmartHosts", "RequireTls", "Comment",
          "WhenCreated"};
}

Value connector_record(const Connector& c) {
  static const auto inbound = std::make_shared<const Schema>(output_names(Direction::Inbound));
  static const auto outbound = std::make_shared<const Schema>(output_names(Direction::Outbound));
  auto opt = [](const std::optional<std::string>& s) { return s ? Value(*s) : Value(); };
  if (c.direction == Direction::Inbound)
    return Value(Record(inbound, {Value(c.name), Value(c.connector_type), Value(c.enabled),
                                  formatted(c.sender_domains, format_domain_pattern),
                                  formatted(c.sender_ips, format_ip_range), opt(c.tls_sender_certificate_name),
                                  Value(c.require_tls), opt(c.comment), Value(DateTime{c.created})}));
  return Value(Record(outbound, {Value(c.name), Value(c.connector_type), Value(c.enabled),
                                 formatted(c.recipient_domains, format_domain_pattern), strings_value(c.smart_hosts),
                                 Value(c.require_tls), opt(c.comment), Value(DateTime{c.created})}));
}

TraceStore& store_of(Session& session, const std::string& cmdlet) {
  if (!session.store) throw Error("NoStore", cmdlet + ": no trace store is open");
  return *session.store;
}

std::string noun(Direction d) { return d == Direction::Inbound ? "InboundConnector" : "OutboundConnector"; }

CmdletSpec new_connector(Direction d) {
  CmdletSpec spec;
  spec.name = "New-" + noun(d);
  spec.synopsis = d == Direction::Inbound
                      ? "Creates an inbound connector: which partner traffic arriving here belongs to it."
                      : "Creates an outbound connector: which traffic leaving here belongs to it.";
  spec.description =
      "Connectors are kept in the store and attribute the traffic of server logs (Postfix) to "
      "connectors at import; after changing connectors run Update-ConnectorAttribution. The order "
      "of matching is in Get-Help about_Connectors. Multi-valued parameters take comma lists "
      "(Lua: arrays). A connector must match something.";
  spec.parameters = definition_params(
      d, Param::String("Name", "the connector's name (unique among all connectors)").mandatory().position(0));
  spec.outputs = output_names(d);
  if (d == Direction::Inbound)
    spec.examples = {{"New-InboundConnector -Name Fabrikam -SenderDomains fabrikam.com,*.fabrikam.com "
                      "-SenderIPAddresses 192.0.2.0/24,2001:db8::/32",
                      "Traffic from Fabrikam's servers or senders belongs to the Fabrikam connector."}};
  else
    spec.examples = {{"New-OutboundConnector -Name 'Smart host' -SmartHosts relay.contoso.net -RequireTls",
                      "Everything relayed through relay.contoso.net belongs to this connector."}};
  spec.run = [d, cmdlet = spec.name](Session& session, const BoundParameters& p,
                                      std::unique_ptr<RecordStream>) -> std::unique_ptr<RecordStream> {
    TraceStore& store = store_of(session, cmdlet);
    Connector c;
    c.name = std::string(trim(p.string("Name").value_or("")));
    if (c.name.empty()) throw Error("InvalidParameter", cmdlet + ": -Name must not be empty");
    c.direction = d;
    apply(c, p);
    c.created = static_cast<UnixSeconds>(std::time(nullptr));
    validate_connector(c);
    ConnectorStore(store).insert(c);
    return std::make_unique<VectorStream>(std::vector<Value>{connector_record(c)});
  };
  return spec;
}

CmdletSpec get_connector(Direction d) {
  CmdletSpec spec;
  spec.name = "Get-" + noun(d);
  spec.synopsis = d == Direction::Inbound ? "Lists inbound connectors." : "Lists outbound connectors.";
  spec.description = "Without -Identity, every connector of this direction, by name.";
  spec.parameters = declare_parameters({identity_param(false, false)});
  spec.outputs = output_names(d);
  spec.examples = {{"Get-" + noun(d), "Every " + std::string(d == Direction::Inbound ? "inbound" : "outbound") +
                                          " connector."}};
  spec.run = [d, cmdlet = spec.name](Session& session, const BoundParameters& p,
                                      std::unique_ptr<RecordStream>) -> std::unique_ptr<RecordStream> {
    ConnectorStore connectors(store_of(session, cmdlet));
    std::vector<Value> out;
    if (auto name = p.string("Identity")) {
      auto c = connectors.find(*name, d);
      if (!c)
        throw Error("ConnectorNotFound", cmdlet + ": no " + (d == Direction::Inbound ? "inbound" : "outbound") +
                                             " connector named '" + *name + "'");
      out.push_back(connector_record(*c));
    } else {
      for (const Connector& c : connectors.list(d)) out.push_back(connector_record(c));
    }
    return std::make_unique<VectorStream>(std::move(out));
  };
  return spec;
}

CmdletSpec set_connector(Direction d) {
  CmdletSpec spec;
  spec.name = "Set-" + noun(d);
  spec.synopsis = d == Direction::Inbound ? "Changes an inbound connector." : "Changes an outbound connector.";
  spec.description =
      "Only the parameters given change; a multi-valued parameter replaces the whole list. Run "
      "Update-ConnectorAttribution afterwards to re-attribute stored traces.";
  spec.parameters = definition_params(d, identity_param(true));
  spec.outputs = output_names(d);
  spec.examples = {{d == Direction::Inbound ? "Set-InboundConnector Fabrikam -Enabled:$false"
                                            : "Set-OutboundConnector 'Smart host' -Comment 'EU relay'",
                    d == Direction::Inbound ? "Stop attributing traffic to the Fabrikam connector."
                                            : "Change the comment of a connector."}};
  spec.run = [d, cmdlet = spec.name](Session& session, const BoundParameters& p,
                                      std::unique_ptr<RecordStream> input) -> std::unique_ptr<RecordStream> {
    ConnectorStore connectors(store_of(session, cmdlet));
    std::vector<Value> out;
    for (const std::string& name : identities(p, *input)) {
      auto c = connectors.find(name, d);
      if (!c)
        throw Error("ConnectorNotFound", cmdlet + ": no " + (d == Direction::Inbound ? "inbound" : "outbound") +
                                             " connector named '" + name + "'");
      apply(*c, p);
      validate_connector(*c);
      connectors.update(*c);
      out.push_back(connector_record(*c));
    }
    return std::make_unique<VectorStream>(std::move(out));
  };
  return spec;
}

CmdletSpec remove_connector(Direction d) {
  CmdletSpec spec;
  spec.name = "Remove-" + noun(d);
  spec.synopsis = d == Direction::Inbound ? "Deletes an inbound connector." : "Deletes an outbound connector.";
  spec.description = "Stored traces keep their connector until Update-ConnectorAttribution runs.";
  spec.parameters = declare_parameters({identity_param(true)});
  spec.examples = {{"Get-" + noun(d) + " | Where-Object Enabled -eq $false | Remove-" + noun(d),
                    "Delete every disabled connector."}};
  spec.run = [d, cmdlet = spec.name](Session& session, const BoundParameters& p,
                                      std::unique_ptr<RecordStream> input) -> std::unique_ptr<RecordStream> {
    ConnectorStore connectors(store_of(session, cmdlet));
    for (const std::string& name : identities(p, *input)) connectors.remove(name, d);
    return std::make_unique<VectorStream>(std::vector<Value>{});
  };
  return spec;
}

}  // namespace

std::vector<CmdletSpec> connector_cmdlets() {
  std::vector<CmdletSpec> out;
  for (Direction d : {Direction::Inbound, Direction::Outbound}) {
    out.push_back(new_connector(d));
    out.push_back(get_connector(d));
    out.push_back(set_connector(d));
    out.push_back(remove_connector(d));
  }
  return out;
}

const char* connectors_help_topic() {
  return R"TXT(about_Connectors

Connectors say which traffic belongs to which partner or route, as Exchange
Online's inbound and outbound connectors do. Formats that name the connector
(canonical CSV / JSON Lines) keep what they say. For server logs (Postfix),
Import-MessageTrace attributes every trace to a connector in this order:

  Inbound (a message from a server outside InternalNetworks that did not
  authenticate):
    1. the enabled inbound connector whose -SenderIPAddresses contain the
       sending server's IP; when several do, the most specific range wins
       (a /32 before a /24 before a /8; IPv4 and IPv6 alike);
    2. else the enabled inbound connector whose -SenderDomains match the
       envelope sender's domain: an exact domain before a wildcard
       (*.contoso.com matches subdomains of contoso.com, not contoso.com
       itself), a longer wildcard before a shorter one, '*' last;
    3. else no connector: "(none)".
  Outbound (a message our server handed to a remote server):
    1. the enabled outbound connector one of whose -SmartHosts equals the
       relay host (by name or by IP address);
    2. else the enabled outbound connector whose -RecipientDomains match a
       recipient's domain: exact before wildcard, as above;
    3. else no connector.
  Disabled connectors are skipped. Between equally good matches the
  connector created first wins. -TlsSenderCertificateName and -RequireTls
  are kept and shown but do not take part: Postfix logs do not carry the
  peer's certificate name.

After New-, Set- or Remove- of a connector, Update-ConnectorAttribution
[-StartDate/-EndDate/-Days] re-attributes the stored log traces (and their
daily rollups, in one transaction); reports then equal a fresh import.
)TXT";
}

}  // namespace mailflow
