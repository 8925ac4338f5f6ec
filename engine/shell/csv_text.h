// CSV text for ConvertTo-Csv and Export-Csv (RFC 4180 fields): the header
// row names the first record's properties, then one row per record. A field
// is quoted when it holds the delimiter, a double quote, CR or LF (or always,
// with CsvQuoting::Always), and quotes inside are doubled. A quoted field may
// span lines; each emitted row is one string either way.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "host/cmdlet.h"
#include "core/value.h"

namespace mailflow {

enum class CsvQuoting { AsNeeded, Always };

struct CsvOptions {
  char delimiter = ',';
  CsvQuoting quoting = CsvQuoting::AsNeeded;
};

// One field, quoted as needed.
std::string csv_field(std::string_view text, const CsvOptions& options);

// A value as CSV field text (before quoting): nil is empty, doubles in their
// shortest round-trip form, dates ISO-8601, booleans True/False.
std::string csv_value_text(const Value& value);

// The header row, then one row per input value. Records after the first are
// written under the first one's header (a property they lack is empty);
// a scalar input counts as a record with one property, `Value`.
// Empty input yields nothing.
std::unique_ptr<RecordStream> csv_stream(std::unique_ptr<RecordStream> input, CsvOptions options);

}  // namespace mailflow
