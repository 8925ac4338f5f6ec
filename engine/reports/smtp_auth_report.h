// Get-SmtpAuthClientReport: the Exchange Online "SMTP AUTH clients" report
// for self-hosted servers - authenticated submissions per user and TLS
// version, from the auth_daily rollup.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date_range.h"
#include "store/auth_submission_store.h"
#include "store/trace_store.h"

namespace mailflow {

struct SmtpAuthClientRow {
  std::string user;
  std::int64_t messages = 0;
  std::map<TlsVersion, std::int64_t> count;  // every version of kTlsReportOrder, 0 when absent
  std::optional<TlsVersion> lowest;
};

// Users with the weakest TLS first (plain text, TLS1.0, ...), then most
// messages, then by name.
std::vector<SmtpAuthClientRow> smtp_auth_client_rows(const std::vector<AuthCount>& counts);
std::vector<SmtpAuthClientRow> smtp_auth_client_report(TraceStore& store, const DateRange& range);

}  // namespace mailflow
