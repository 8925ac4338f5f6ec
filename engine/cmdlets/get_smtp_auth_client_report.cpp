// Get-SmtpAuthClientReport: authenticated submissions per user and TLS
// version (Exchange Online's "SMTP AUTH clients" report), from auth_daily.
#include "cmdlets/report_parameters.h"
#include "cmdlets/tls_readiness_records.h"
#include "reports/smtp_auth_report.h"

namespace mailflow {

CmdletSpec get_smtp_auth_client_report_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-SmtpAuthClientReport";
  spec.synopsis = "Authenticated submissions (SMTP AUTH) per user and TLS version: the printers and scripts on old TLS.";
  spec.description =
      "Counts the messages submitted by authenticated clients in the range (Postfix sasl_username of the "
      "smtpd session) per user and TLS version of the submission session. Submissions are not inbound "
      "traffic and are counted only here. Users whose weakest TLS is oldest come first.";
  spec.parameters = declare_parameters({ParameterSet::Range});
  spec.outputs = kSmtpAuthClientColumns;
  spec.examples = {
      {"Get-SmtpAuthClientReport -EndDate 2026-12-01 -Days 30",
       "Who submitted mail over SMTP AUTH in the 30 days ending 1 December 2026, and over which TLS."},
      {"Get-SmtpAuthClientReport -EndDate 2026-12-01 | Where-Object Tls10 -gt 0",
       "Only the users that still submitted over TLS 1.0 in that week."},
  };
  spec.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream>)
      -> std::unique_ptr<RecordStream> {
    DateRange range = bound_date_range(session, params);
    return std::make_unique<VectorStream>(smtp_auth_client_records(smtp_auth_client_report(*session.store, range)));
  };
  return spec;
}

}  // namespace mailflow
