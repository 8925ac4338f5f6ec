// Authenticated submissions (SMTP AUTH: Postfix "sasl_username=U"), kept one
// row per message key so that a re-import adds nothing, and counted per
// day, user and TLS version in auth_daily (migration 8), in the same
// transaction. Get-SmtpAuthClientReport reads the rollup only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/trace.h"
#include "store/trace_store.h"

namespace mailflow {

struct StoredAuthSubmission {
  UnixSeconds time = 0;
  std::string user;
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> client_host;
  std::optional<std::string> client_ip;
  std::string key;  // "host/queue id"
};

// Returns false (and changes nothing) when `key` is kept already.
bool add_auth_submission(TraceStore& store, const StoredAuthSubmission& s, std::optional<std::int64_t> file_id);

struct AuthCount {
  std::string user;
  TlsVersion tls = TlsVersion::None;
  std::int64_t messages = 0;
};
// Per user and TLS version over days [first, last], from auth_daily.
std::vector<AuthCount> auth_counts(TraceStore& store, DayNumber first, DayNumber last);

// The same answer from auth_submissions (for tests and the benchmark).
std::vector<AuthCount> auth_counts_from_submissions(TraceStore& store, DayNumber first, DayNumber last);

}  // namespace mailflow
