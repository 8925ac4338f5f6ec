// The canonical import record (SPEC section 4) shared by the CSV and JSON
// Lines readers: one named key per trace field (core/trace_fields.h), values
// as text, turned into a Trace or a reject reason. Both readers collect field
// values first and call make_canonical_trace once per record, so both formats
// accept and refuse exactly the same values.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/trace.h"
#include "core/trace_fields.h"
#include "ingest/trace_reader.h"

namespace mailflow {

// A canonical key is the index of its field in kTraceFields.
using CanonicalKey = std::size_t;
inline constexpr int kCanonicalKeyCount = static_cast<int>(kTraceFieldCount);

// "received", "direction", ... as the header and JSON keys spell them.
std::string_view canonical_key_name(CanonicalKey key);
// Case-insensitive; nullopt for keys that are not canonical (they are ignored).
std::optional<CanonicalKey> find_canonical_key(std::string_view name);

// Keys a record must carry (a CSV header must name them): the fields marked
// required (received, direction, sender, recipient). The others default:
// nullable fields to nil; tls to None; size to 0; status to Delivered.
bool canonical_key_required(CanonicalKey key);

// One record's values, indexed by CanonicalKey. A missing key (or JSON null)
// is nullopt; the views point into the reader's buffers.
using CanonicalFields = std::array<std::optional<std::string_view>, kTraceFieldCount>;

// Builds the trace, or returns false with `reason` set to the one-line
// reject reason (e.g. "bad timestamp in received: '2026-13-01'").
// Checks every field for valid UTF-8 and the kMaxFieldBytes limit.
bool make_canonical_trace(const CanonicalFields& fields, const ReaderOptions& options, Trace& out,
                          std::string& reason);

}  // namespace mailflow
