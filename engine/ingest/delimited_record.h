// One RFC 4180 record assembled from physical lines, for the readers of
// comma-separated logs and exports that are not the canonical CSV (Exchange
// message tracking and protocol logs, PowerShell Export-Csv files, historical
// search reports). A field that starts with '"' runs to the next lone '"' and
// may hold commas, doubled quotes ("") and line breaks, so a record can span
// lines; it is numbered by its first line.
//
//   2026-11-18T09:00:02.455Z,10.0.1.11,EXMBX01,...,"08DE2D1A3F5B7C04;250 2.6.0 <id> [InternalId=64424509441,
//   Hostname=EXMBX02.contoso.com] Queued mail for delivery;ClientSubmitTime:...",...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailflow {

class ReaderSink;

class DelimitedRecord {
 public:
  enum class Status { Complete, Open, BadQuoting, TooLong };

  // Adds one physical line (without its terminator). Complete: fields()
  // holds the record. Open: a quoted field goes on in the next line.
  // BadQuoting / TooLong: the record is unusable (raw() holds its text).
  Status add(std::string_view line, std::int64_t number);
  // add() for a reader: true when the record is complete. A record longer
  // than kMaxRecordBytes or with text after a closing quote is rejected to
  // `sink` (its first line number and raw text), so every reader says the
  // same about the same fault.
  bool take(std::string_view line, std::int64_t number, ReaderSink& sink);
  // End of file: a record still open inside quotes is rejected; forgets it.
  void finish(ReaderSink& sink);

  std::size_t size() const { return count_; }
  const std::string& field(std::size_t i) const { return fields_[i]; }
  // The record's fields as a new vector (for header lines).
  std::vector<std::string> values() const { return {fields_.begin(), fields_.begin() + count_}; }
  std::int64_t first_line() const { return first_line_; }
  const std::string& raw() const { return raw_; }
  bool open() const { return open_; }
  // Forgets the record in progress (after a reject, or at a header line).
  void reset();

 private:
  std::string& next_field();
  std::vector<std::string> fields_;  // reused; only the first count_ are this record's
  std::size_t count_ = 0;
  bool open_ = false;         // inside a record that spans lines
  bool in_quotes_ = false;
  bool after_quote_ = false;  // the current field was quoted and its closing quote seen
  bool bad_ = false;
  std::string raw_;
  std::int64_t first_line_ = 0;
};

}  // namespace mailflow
