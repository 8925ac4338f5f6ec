#include "render/tls_readiness_html.h"

#include <map>
#include <optional>

#include "core/text.h"
#include "core/time.h"
#include "core/trace.h"
#include "locale/culture.h"
#include "locale/messages.h"
#include "render/html_text.h"

namespace mailflow {

namespace {

std::string count_of(std::int64_t n) { return current_culture().count(n); }

std::int64_t version_count(const std::map<TlsVersion, std::int64_t>& count, TlsVersion v) {
  auto it = count.find(v);
  return it == count.end() ? 0 : it->second;
}

std::string lowest_name(const std::optional<TlsVersion>& v) {
  return std::string(tls_name(v ? *v : TlsVersion::Unknown));
}

std::string header(const std::string& text) { return "<th scope=\"col\">" + html_escape(text) + "</th>"; }

std::string direction_label(Direction d) {
  return d == Direction::Inbound ? _p("direction", "Inbound") : _p("direction", "Outbound");
}

// One table: caption, headers, and a row per record with its cells already HTML.
std::string table(const char* id, const std::string& caption, const std::vector<std::string>& headers,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<div class=\"table-wrap\"><table id=\"" + std::string(id) + "\">\n<caption>" +
                    html_escape(caption) + "</caption>\n<thead><tr>";
  for (const std::string& h : headers) out += header(h);
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i)
      out += (i == 0 ? "<th scope=\"row\">" : "<td>") + row[i] + (i == 0 ? "</th>" : "</td>");
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string empty(const std::string& text) { return "<p class=\"empty\">" + html_escape(text) + "</p>\n"; }

bool old_tls(const std::optional<TlsVersion>& v) {
  return v && *v != TlsVersion::Unknown && static_cast<int>(*v) < static_cast<int>(TlsVersion::Tls12);
}

std::string peers_part(const DashboardInput& in) {
  std::string out = "<h3>" + html_escape(_("Peers still on TLS 1.1, TLS 1.0 or plain text")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (const TlsPeerRow& r : in.tls_old_peers)
    rows.push_back({html_escape(r.peer), html_escape(direction_label(r.direction)), count_of(r.messages),
                    count_of(version_count(r.count, TlsVersion::Tls11)),
                    count_of(version_count(r.count, TlsVersion::Tls10)),
                    count_of(version_count(r.count, TlsVersion::None)), html_escape(lowest_name(r.lowest))});
  if (rows.empty()) return out + empty(_("No peer used TLS 1.1, TLS 1.0 or plain text in this range."));
  return out + table("tls-old-peers", _("The 20 peers with most messages below TLS 1.2 (Get-TlsPeerReport -MaximumVersion TLS1.1 -First 20)"),
                     {_("Peer"), _("Direction"), _("Messages"), "TLS 1.1", "TLS 1.0", _("No TLS"), _("Lowest version")},
                     rows);
}

std::string policy_part(const DashboardInput& in) {
  std::string out = "<h3>" + html_escape(_("If TLS 1.2 were required")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (const TlsPolicyRow& r : in.tls_policy) {
    std::string peers;
    for (std::size_t k = 0; k < r.peers.size() && k < 10; ++k) peers += (k ? ", " : "") + r.peers[k];
    if (r.peers.size() > 10) peers += ", …";  // Test-TlsPolicy lists them all
    rows.push_back({html_escape(connector_label(r.connector)), html_escape(direction_label(r.direction)),
                    count_of(r.messages), count_of(r.at_risk), html_escape(current_culture().percent(r.percent)),
                    html_escape(peers)});
  }
  if (rows.empty()) return out + empty(_("No message with a known TLS version in this range."));
  out += "<p>" +
         html_escape(_("Messages below TLS 1.2 would have been refused (inbound) or deferred (outbound); "
                       "plain text is not counted, as a minimum version applies to TLS sessions.")) +
         "</p>\n";
  return out + table("tls-policy", _("What requiring TLS 1.2 would break (Test-TlsPolicy -MinimumVersion TLS1.2)"),
                     {_("Connector"), _("Direction"), _("Messages"), _("At risk"), _("Percent"), _("Peers at risk")},
                     rows);
}

std::string failures_part(const DashboardInput& in) {
  std::string out = "<h3>" + html_escape(_("Failed TLS handshakes per day")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (const TlsFailureGroupRow& r : in.tls_failures_by_day) {
    auto parsed = parse_date(r.key);  // -By Day: the key is the UTC day
    rows.push_back({html_escape(parsed ? current_culture().date(*parsed) : r.key),
                    html_escape(direction_label(r.direction)), count_of(r.failures)});
  }
  if (rows.empty()) return out + empty(_("No failed TLS handshake in this range."));
  return out + table("tls-failures", _("Failed TLS handshakes per day (Get-TlsFailure -By Day)"),
                     {_("Date"), _("Direction"), _("Failures")}, rows);
}

std::string auth_part(const DashboardInput& in) {
  std::string out = "<h3>" + html_escape(_("SMTP AUTH clients on old TLS")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (const SmtpAuthClientRow& r : in.smtp_auth_clients) {
    if (!old_tls(r.lowest)) continue;
    rows.push_back({html_escape(r.user), count_of(r.messages), count_of(version_count(r.count, TlsVersion::Tls11)),
                    count_of(version_count(r.count, TlsVersion::Tls10)),
                    count_of(version_count(r.count, TlsVersion::None)), html_escape(lowest_name(r.lowest))});
  }
  if (rows.empty()) return out + empty(_("No authenticated client submitted over TLS 1.1, TLS 1.0 or plain text."));
  return out + table("smtp-auth-old", _("Authenticated submissions on old TLS (Get-SmtpAuthClientReport)"),
                     {_("User"), _("Messages"), "TLS 1.1", "TLS 1.0", _("No TLS"), _("Lowest version")}, rows);
}

std::string trust_part(const DashboardInput& in) {
  std::string out = "<h3>" + html_escape(_("Outbound certificate trust")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (const TlsTrustRow& r : in.outbound_trust)
    rows.push_back({html_escape(r.trust ? std::string(tls_trust_name(*r.trust)) : std::string("Unknown")),
                    count_of(r.messages), r.percent ? html_escape(current_culture().percent(*r.percent)) : std::string()});
  if (rows.empty()) return out + empty(_("No outbound messages in this range."));
  out += "<p>" +
         html_escape(_("Verified: the receiving server's certificate matched its name (DANE or MTA-STS); "
                       "Unknown: the log did not record the trust.")) +
         "</p>\n";
  return out + table("tls-outbound-trust", _("Outbound messages by certificate trust (Get-TlsUsage -ByTrust)"),
                     {_("Trust"), _("Messages"), _("Percent")}, rows);
}

}  // namespace

std::string tls_readiness_section(const DashboardInput& in) {
  std::string out = "<section id=\"tls-readiness\">\n<h2>" + html_escape(_("TLS readiness")) + "</h2>\n<p>" +
                    html_escape(_("Who still needs TLS 1.0, TLS 1.1 or plain text, what requiring TLS 1.2 "
                                  "would break, and whose TLS handshakes fail.")) +
                    "</p>\n";
  out += peers_part(in);
  out += policy_part(in);
  out += failures_part(in);
  out += auth_part(in);
  out += trust_part(in);
  return out + "</section>\n";
}

}  // namespace mailflow
