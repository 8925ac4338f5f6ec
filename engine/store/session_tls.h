// What SMTP protocol logs said about each session's TLS, and which stored
// traces belong to which session, so that a message tracking record and its
// protocol-log session meet whichever is imported first (-Format
// ExchangeTracking and -Format ExchangeProtocol). The failed TLS handshakes
// those logs record are in store/tls_failure_store.h.
//
// Kept apart from the traces table (two small tables of their own, made by
// migration 7) so that the trace schema can change without them.
// Every statement is named and bound; the callers (the importer) run them
// inside their batch transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/trace.h"
#include "store/trace_store.h"

namespace mailflow {

struct StoredSessionTls {
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> cipher;
};

class SessionTlsStore {
 public:
  explicit SessionTlsStore(TraceStore& store);

  std::optional<StoredSessionTls> find(std::string_view key);
  // Keeps the session's TLS. A later "None" never replaces a negotiated
  // version (a session that rolled over into the next log file shows its
  // STARTTLS only in the first). Returns true when what is kept changed.
  bool save(std::string_view key, const StoredSessionTls& tls);
  // Trace `trace_id` was carried by session `key`.
  void link(std::int64_t trace_id, std::string_view key);
  // The stored traces carried by session `key`, with their row ids.
  std::vector<std::pair<std::int64_t, Trace>> traces_of(std::string_view key);

 private:
  TraceStore& store_;
};

}  // namespace mailflow
