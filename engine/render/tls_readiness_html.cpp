#include "render/tls_readiness_html.h"

#include <cmath>
#include <functional>

#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "core/trace.h"
#include "locale/culture.h"
#include "locale/messages.h"
#include "render/html_text.h"

namespace mailflow {

namespace {

// A property of record `index` of `cmdlet`'s records, as SPEC 5 promises it.
const Value& field(const std::vector<Value>& records, std::size_t index, const char* cmdlet, const char* name) {
  auto fail = [&](const std::string& what) {
    throw Error("InvalidReportData", std::string(cmdlet) + " record " + std::to_string(index + 1) + " " + what);
  };
  if (!records[index].is_record()) fail("is not a record");
  const Value* v = records[index].as_record().get(name);
  if (!v) fail(std::string("has no property '") + name + "'");
  return *v;
}

std::string count_of(const Value& v) {
  if (!v.is_number()) return html_escape(v.to_display());
  return current_culture().count(static_cast<std::int64_t>(v.as_number()));
}

std::string header(const std::string& text) { return "<th scope=\"col\">" + html_escape(text) + "</th>"; }

std::string direction_label(const std::string& dir) {
  if (iequals(dir, "Inbound")) return _p("direction", "Inbound");
  if (iequals(dir, "Outbound")) return _p("direction", "Outbound");
  return dir;
}

std::string text_of(const Value& v) { return v.is_null() ? std::string() : v.to_display(); }

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

bool old_tls(const std::string& lowest) {
  auto v = parse_tls(lowest);
  return v && *v != TlsVersion::Unknown && static_cast<int>(*v) < static_cast<int>(TlsVersion::Tls12);
}

std::string peers_part(const DashboardInput& in) {
  const char* cmdlet = "Get-TlsPeerReport";
  std::string out = "<h3>" + html_escape(_("Peers still on TLS 1.1, TLS 1.0 or plain text")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < in.tls_old_peers.size(); ++i) {
    auto f = [&](const char* name) -> const Value& { return field(in.tls_old_peers, i, cmdlet, name); };
    rows.push_back({html_escape(text_of(f("Peer"))), html_escape(direction_label(text_of(f("Direction")))),
                    count_of(f("Messages")), count_of(f("Tls11")), count_of(f("Tls10")), count_of(f("NoTls")),
                    html_escape(text_of(f("LowestVersion")))});
  }
  if (rows.empty()) return out + empty(_("No peer used TLS 1.1, TLS 1.0 or plain text in this range."));
  return out + table("tls-old-peers", _("The 20 peers with most messages below TLS 1.2 (Get-TlsPeerReport -MaximumVersion TLS1.1 -First 20)"),
                     {_("Peer"), _("Direction"), _("Messages"), "TLS 1.1", "TLS 1.0", _("No TLS"), _("Lowest version")},
                     rows);
}

std::string policy_part(const DashboardInput& in) {
  const char* cmdlet = "Test-TlsPolicy";
  std::string out = "<h3>" + html_escape(_("If TLS 1.2 were required")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < in.tls_policy.size(); ++i) {
    auto f = [&](const char* name) -> const Value& { return field(in.tls_policy, i, cmdlet, name); };
    std::string peers;
    const Value& list = f("Peers");
    if (list.is_array()) {
      const Array& all = list.as_array();
      for (std::size_t k = 0; k < all.size() && k < 10; ++k) peers += (k ? ", " : "") + all[k].to_display();
      if (all.size() > 10) peers += ", …";  // Test-TlsPolicy lists them all
    }
    const Value& percent = f("Percent");
    rows.push_back({html_escape(connector_label(f("Connector").is_null() ? std::nullopt
                                                                         : std::optional<std::string>(text_of(f("Connector"))))),
                    html_escape(direction_label(text_of(f("Direction")))), count_of(f("Messages")),
                    count_of(f("AtRisk")),
                    html_escape(percent.is_number() ? current_culture().percent(percent.as_number()) : text_of(percent)),
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
  const char* cmdlet = "Get-TlsFailure";
  std::string out = "<h3>" + html_escape(_("Failed TLS handshakes per day")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < in.tls_failures_by_day.size(); ++i) {
    auto f = [&](const char* name) -> const Value& { return field(in.tls_failures_by_day, i, cmdlet, name); };
    std::string day = text_of(f("Key"));
    auto parsed = parse_date(day);
    rows.push_back({html_escape(parsed ? current_culture().date(*parsed) : day),
                    html_escape(direction_label(text_of(f("Direction")))), count_of(f("Failures"))});
  }
  if (rows.empty()) return out + empty(_("No failed TLS handshake in this range."));
  return out + table("tls-failures", _("Failed TLS handshakes per day (Get-TlsFailure -By Day)"),
                     {_("Date"), _("Direction"), _("Failures")}, rows);
}

std::string auth_part(const DashboardInput& in) {
  const char* cmdlet = "Get-SmtpAuthClientReport";
  std::string out = "<h3>" + html_escape(_("SMTP AUTH clients on old TLS")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < in.smtp_auth_clients.size(); ++i) {
    auto f = [&](const char* name) -> const Value& { return field(in.smtp_auth_clients, i, cmdlet, name); };
    std::string lowest = text_of(f("LowestVersion"));
    if (!old_tls(lowest)) continue;
    rows.push_back({html_escape(text_of(f("User"))), count_of(f("Messages")), count_of(f("Tls11")),
                    count_of(f("Tls10")), count_of(f("NoTls")), html_escape(lowest)});
  }
  if (rows.empty()) return out + empty(_("No authenticated client submitted over TLS 1.1, TLS 1.0 or plain text."));
  return out + table("smtp-auth-old", _("Authenticated submissions on old TLS (Get-SmtpAuthClientReport)"),
                     {_("User"), _("Messages"), "TLS 1.1", "TLS 1.0", _("No TLS"), _("Lowest version")}, rows);
}

std::string trust_part(const DashboardInput& in) {
  const char* cmdlet = "Get-TlsUsage -ByTrust";
  std::string out = "<h3>" + html_escape(_("Outbound certificate trust")) + "</h3>\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < in.outbound_trust.size(); ++i) {
    auto f = [&](const char* name) -> const Value& { return field(in.outbound_trust, i, cmdlet, name); };
    const Value& percent = f("Percent");
    rows.push_back({html_escape(text_of(f("TlsTrust"))), count_of(f("Messages")),
                    percent.is_number() ? html_escape(current_culture().percent(percent.as_number())) : std::string()});
  }
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
