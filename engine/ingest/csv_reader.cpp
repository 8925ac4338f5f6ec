#include "ingest/csv_reader.h"

#include "core/error.h"
#include "core/text.h"
#include "ingest/canonical_record.h"

namespace mailflow {

CsvReader::CsvReader(ReaderOptions options) : options_(std::move(options)) {}

bool CsvReader::looks_like(const std::vector<std::string>& head) {
  if (head.empty()) return false;
  // A header is plain names; quotes around names are allowed.
  bool seen[kCanonicalKeyCount] = {};
  for (const std::string& cell : split(head.front(), ',')) {
    std::string_view name = trim(cell);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
    if (auto key = find_canonical_key(name)) seen[static_cast<int>(*key)] = true;
  }
  for (int i = 0; i < kCanonicalKeyCount; ++i)
    if (canonical_key_required(static_cast<CanonicalKey>(i)) && !seen[i]) return false;
  return true;
}

void CsvReader::reset_record() {
  field_count_ = 0;
  in_quotes_ = false;
  after_quote_ = false;
  bad_quoting_ = false;
  raw_.clear();
  record_open_ = false;
}

// Consumes one physical line of the current record. A '"' opens quoting
// only at the start of a field; inside quotes "" is one quote and the next
// lone quote closes the field, after which only ',' or the end may follow.
void CsvReader::parse_into_fields(std::string_view text) {
  auto current = [&]() -> std::string& { return fields_[field_count_ - 1]; };
  auto open_field = [&]() {
    if (fields_.size() <= field_count_) fields_.emplace_back();
    fields_[field_count_].clear();
    ++field_count_;
    after_quote_ = false;
  };
  if (!record_open_) {
    record_open_ = true;
    open_field();
  }
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    char c = text[i];
    if (in_quotes_) {
      // Copy the run up to the next quote in one go.
      std::size_t q = text.find('"', i);
      if (q == std::string_view::npos) {
        current().append(text.substr(i));
        i = n;
        break;
      }
      current().append(text.substr(i, q - i));
      if (q + 1 < n && text[q + 1] == '"') {
        current().push_back('"');
        i = q + 2;
      } else {
        in_quotes_ = false;
        after_quote_ = true;
        i = q + 1;
      }
      continue;
    }
    if (c == ',') {
      open_field();
      ++i;
      continue;
    }
    if (after_quote_) {
      bad_quoting_ = true;  // "abc"x: text after the closing quote
      ++i;
      continue;
    }
    if (c == '"' && current().empty()) {
      in_quotes_ = true;
      ++i;
      continue;
    }
    // An unquoted run up to the next comma (a stray quote inside an
    // unquoted field is kept literally, as spreadsheets write it).
    std::size_t comma = text.find(',', i);
    std::size_t end = comma == std::string_view::npos ? n : comma;
    current().append(text.substr(i, end - i));
    i = end;
  }
}

void CsvReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (!record_open_) {
    if (trim(text).empty()) return;  // blank lines between records carry nothing
    first_line_ = number;
  } else {
    raw_.push_back('\n');
  }
  raw_.append(text);
  if (raw_.size() > kMaxRecordBytes) {
    // Most likely an unterminated quote: give up on this record and start
    // afresh at the next line, so one bad quote cannot swallow the file.
    sink.reject(first_line_, "record longer than " + std::to_string(kMaxRecordBytes) + " bytes",
                std::string_view(raw_).substr(0, kMaxRecordBytes));
    reset_record();
    return;
  }
  parse_into_fields(text);
  if (in_quotes_) {
    fields_[field_count_ - 1].push_back('\n');  // the line break belongs to the field
    return;
  }
  complete_record(sink);
}

void CsvReader::read_header(std::int64_t number) {
  column_key_.assign(field_count_, -1);
  bool seen[kCanonicalKeyCount] = {};
  for (std::size_t i = 0; i < field_count_; ++i) {
    auto key = find_canonical_key(fields_[i]);
    if (!key) continue;  // extra columns are ignored
    int k = static_cast<int>(*key);
    if (seen[k])
      throw Error("ImportFormat", "line " + std::to_string(number) + ": CSV header names column '" +
                                      std::string(canonical_key_name(*key)) + "' twice");
    seen[k] = true;
    column_key_[i] = k;
  }
  std::string missing;
  for (int k = 0; k < kCanonicalKeyCount; ++k) {
    if (seen[k] || !canonical_key_required(static_cast<CanonicalKey>(k))) continue;
    if (!missing.empty()) missing += ", ";
    missing += canonical_key_name(static_cast<CanonicalKey>(k));
  }
  if (!missing.empty())
    throw Error("ImportFormat", "line " + std::to_string(number) +
                                    ": CSV header lacks the column(s) " + missing +
                                    " (expected received,direction,connector,tls,cipher,sender,"
                                    "recipient,remote_host,remote_ip,size,status,message_id)");
  have_header_ = true;
}

void CsvReader::complete_record(ReaderSink& sink) {
  if (!have_header_) {
    read_header(first_line_);
    reset_record();
    return;
  }
  if (bad_quoting_) {
    sink.reject(first_line_, "bad CSV quoting: text after a closing quote", raw_);
  } else if (field_count_ != column_key_.size()) {
    sink.reject(first_line_,
                "wrong column count: " + std::to_string(field_count_) + " fields, header has " +
                    std::to_string(column_key_.size()),
                raw_);
  } else {
    CanonicalFields fields{};
    for (std::size_t i = 0; i < field_count_; ++i)
      if (column_key_[i] >= 0) fields[column_key_[i]] = std::string_view(fields_[i]);
    Trace trace;
    std::string reason;
    if (make_canonical_trace(fields, options_, trace, reason)) sink.trace(trace, first_line_);
    else sink.reject(first_line_, reason, raw_);
  }
  reset_record();
}

void CsvReader::finish(ReaderSink& sink) {
  if (record_open_) {
    // The file ended inside a quoted field.
    sink.reject(first_line_, "unterminated quoted field", raw_);
    reset_record();
  }
}

}  // namespace mailflow
