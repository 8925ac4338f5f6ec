#include "reports/smtp_auth_report.h"

#include <algorithm>
#include <tuple>

namespace mailflow {

std::vector<SmtpAuthClientRow> smtp_auth_client_rows(const std::vector<AuthCount>& counts) {
  std::map<std::string, SmtpAuthClientRow> users;
  for (const AuthCount& c : counts) {
    SmtpAuthClientRow& row = users[c.user];
    if (row.user.empty()) {
      row.user = c.user;
      for (TlsVersion v : kTlsReportOrder) row.count[v] = 0;
    }
    row.messages += c.messages;
    row.count[c.tls] += c.messages;
    if (c.tls != TlsVersion::Unknown && (!row.lowest || static_cast<int>(c.tls) < static_cast<int>(*row.lowest)))
      row.lowest = c.tls;
  }
  std::vector<SmtpAuthClientRow> rows;
  for (auto& [user, row] : users) rows.push_back(std::move(row));
  std::stable_sort(rows.begin(), rows.end(), [](const SmtpAuthClientRow& a, const SmtpAuthClientRow& b) {
    int la = a.lowest ? static_cast<int>(*a.lowest) : 99, lb = b.lowest ? static_cast<int>(*b.lowest) : 99;
    return std::make_tuple(la, -a.messages, a.user) < std::make_tuple(lb, -b.messages, b.user);
  });
  return rows;
}

std::vector<SmtpAuthClientRow> smtp_auth_client_report(TraceStore& store, const DateRange& range) {
  return smtp_auth_client_rows(auth_counts(store, range.first, range.last));
}

}  // namespace mailflow
