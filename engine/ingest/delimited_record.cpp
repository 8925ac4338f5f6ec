#include "ingest/delimited_record.h"

#include "ingest/trace_reader.h"

namespace mailflow {

void DelimitedRecord::reset() {
  count_ = 0;
  open_ = false;
  in_quotes_ = false;
  after_quote_ = false;
  bad_ = false;
  raw_.clear();
}

std::string& DelimitedRecord::next_field() {
  if (count_ == fields_.size()) fields_.emplace_back();
  std::string& f = fields_[count_++];
  f.clear();
  return f;
}

DelimitedRecord::Status DelimitedRecord::add(std::string_view line, std::int64_t number) {
  if (!open_) {
    count_ = 0;
    bad_ = false;
    after_quote_ = false;
    raw_.assign(line);
    first_line_ = number;
    next_field();
  } else {
    raw_ += '\n';
    raw_ += line;
    fields_[count_ - 1] += '\n';  // the line break belongs to the quoted field
  }
  if (raw_.size() > kMaxRecordBytes) {
    open_ = false;
    in_quotes_ = false;
    return Status::TooLong;
  }
  std::string* f = &fields_[count_ - 1];
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_quotes_) {
      if (c != '"') {
        f->push_back(c);
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        f->push_back('"');
        ++i;
      } else {
        in_quotes_ = false;
        after_quote_ = true;
      }
    } else if (c == ',') {
      f = &next_field();
      after_quote_ = false;
    } else if (c == '"' && f->empty() && !after_quote_) {
      in_quotes_ = true;
    } else if (after_quote_) {
      bad_ = true;  // text after a closing quote: "abc"def
      f->push_back(c);
    } else {
      f->push_back(c);
    }
  }
  open_ = in_quotes_;
  if (open_) return Status::Open;
  return bad_ ? Status::BadQuoting : Status::Complete;
}

bool DelimitedRecord::take(std::string_view line, std::int64_t number, ReaderSink& sink) {
  switch (add(line, number)) {
    case Status::Complete: return true;
    case Status::Open: return false;
    case Status::TooLong:
      sink.reject(first_line_, "record longer than " + std::to_string(kMaxRecordBytes) + " bytes", raw_);
      reset();
      return false;
    case Status::BadQuoting:
      sink.reject(first_line_, "text after a closing quote (RFC 4180 quoting)", raw_);
      return false;
  }
  return false;
}

void DelimitedRecord::finish(ReaderSink& sink) {
  if (open_) sink.reject(first_line_, "the file ends inside a quoted field", raw_);
  reset();
}

}  // namespace mailflow
