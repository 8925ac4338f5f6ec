// New-SampleTraceData's generator: a deterministic, realistic canonical CSV
// for the fictional Contoso (contoso.com). The same options give the same
// bytes on every platform: our own PRNG (xoshiro256**, seeded by
// splitmix64) and integer arithmetic only, never std:: distributions or
// floating point (whose results differ across library versions).
//
// Traffic (shares of a business day's volume):
//   no connector, inbound/outbound  internet mail, mostly TLS1.2/1.3
//   Contoso On-Premises Inbound/Outbound  the hybrid pair, TLS1.2/1.3 only
//   Fabrikam Partner Inbound        a partner still on TLS1.0 (trips "TLS 1.0 is above 50%")
//   Fabrikam Partner Outbound       TLS required, TLS1.2/1.3
//   Legacy App Relay                scanners and line-of-business apps, mostly plain text
//                                   (trips "No TLS is over 25%")
// with a business-hours daily rhythm and quieter weekends.
#pragma once

#include <cstdint>
#include <string>

#include "core/time.h"

namespace mailflow {

struct SampleTraceOptions {
  DayNumber end_day = 0;              // last day generated (inclusive)
  int days = 30;
  int messages_per_day = 200;         // a business day's volume; weekends are quieter
  std::uint64_t seed = 1;
  std::int64_t max_records = 0;       // stop after this many (0: no limit); for benchmarks
};

struct SampleTraceResult {
  std::int64_t records = 0;
  DayNumber start_day = 0;
  DayNumber end_day = 0;
};

// Writes the CSV to `path` (through a temporary file renamed into place, so
// a failure never leaves a half-written file). Throws Error naming the path.
SampleTraceResult write_sample_traces(const std::string& path, const SampleTraceOptions& options);

}  // namespace mailflow
