// The canonical CSV format (SPEC section 4): a header row naming the
// canonical keys in any order and any case, then one record per row.
// RFC 4180 quoting: a field that starts with '"' runs to the next lone '"',
// may contain commas, doubled quotes ("") and line breaks, so a record can
// span several physical lines; it is numbered by its first line. A line
// break inside quotes is kept as "\n" (CRLF files give the same values).
//
//   received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,message_id
//   2026-11-16T08:15:02Z,Inbound,Fabrikam Partner Inbound,TLS1.0,...
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ingest/trace_reader.h"

namespace mailflow {

class CsvReader : public TraceReader {
 public:
  explicit CsvReader(ReaderOptions options);
  void line(std::string_view text, std::int64_t number, ReaderSink& sink) override;
  void finish(ReaderSink& sink) override;

  // Detection: the first non-empty line is a header naming at least the
  // required canonical keys.
  static bool looks_like(const std::vector<std::string>& head);

 private:
  void parse_into_fields(std::string_view text);
  void complete_record(ReaderSink& sink);
  void read_header(std::int64_t number);
  void reset_record();

  ReaderOptions options_;
  bool have_header_ = false;
  std::vector<int> column_key_;  // header column -> CanonicalKey, or -1 (ignored column)

  // The record being read (it may span lines while inside quotes).
  std::vector<std::string> fields_;
  std::size_t field_count_ = 0;
  bool in_quotes_ = false;
  bool after_quote_ = false;  // the current field was quoted and its closing quote seen
  bool bad_quoting_ = false;
  std::string raw_;           // the record's lines, joined with "\n", for rejects
  std::int64_t first_line_ = 0;
  bool record_open_ = false;
};

}  // namespace mailflow
