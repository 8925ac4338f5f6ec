// The importer's own fingerprint helpers (internal to engine/ingest/import*:
// nothing outside the importer includes this). A record is keyed by its
// content hash mixed with its occurrence within the file
// (occurrence_counter.h), so that the same line twice in one file is two
// records, and the same file imported again is all duplicates.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/trace.h"

namespace mailflow {

// The content hash of a refused connection (FNV-1a over its fields).
inline std::uint64_t refused_hash(const RefusedConnection& r) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0x1f;
    h *= 1099511628211ULL;
  };
  auto mix_opt = [&](const std::optional<std::string>& s) { mix(s ? *s : std::string_view("\x1e")); };
  char time[24];  // the time's decimal digits, as std::to_string gave them, without an allocation
  mix(std::string_view(time, static_cast<std::size_t>(std::to_chars(time, time + sizeof time, r.time).ptr - time)));
  mix_opt(r.client_host);
  mix_opt(r.client_ip);
  mix_opt(r.sender);
  mix_opt(r.recipient);
  mix(r.reason);
  return h;
}

// A content hash with its occurrence in the file mixed in.
inline std::int64_t with_occurrence(std::uint64_t hash, std::uint32_t occurrence) {
  // Occurrence 0 keeps the content hash as it is.
  if (occurrence == 0) return static_cast<std::int64_t>(hash);
  std::uint64_t h = hash ^ (0x9E3779B97F4A7C15ULL * (occurrence + 1ULL));
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 29;
  return static_cast<std::int64_t>(h);
}

}  // namespace mailflow
