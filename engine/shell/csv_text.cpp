#include "shell/csv_text.h"

#include "shell/json_text.h"

namespace mailflow {

namespace {

class CsvStream : public RecordStream {
 public:
  CsvStream(std::unique_ptr<RecordStream> input, CsvOptions options)
      : input_(std::move(input)), options_(options) {}

  std::optional<Value> next() override {
    if (row_ready_) {
      row_ready_ = false;
      return Value(std::move(row_));
    }
    std::optional<Value> v = input_->next();
    if (!v) return std::nullopt;
    if (header_.empty()) {
      header_ = v->is_record() ? v->as_record().schema().names() : std::vector<std::string>{"Value"};
      row_ = row(*v);
      row_ready_ = true;
      return Value(line(header_));
    }
    return Value(row(*v));
  }

 private:
  std::string line(const std::vector<std::string>& fields) const {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) out += options_.delimiter;
      out += csv_field(fields[i], options_);
    }
    return out;
  }

  std::string row(const Value& v) const {
    std::vector<std::string> fields;
    fields.reserve(header_.size());
    for (const std::string& name : header_) {
      const Value* cell = nullptr;
      if (v.is_record()) cell = v.as_record().get(name);
      else if (name == "Value") cell = &v;
      fields.push_back(cell ? csv_value_text(*cell) : std::string());
    }
    return line(fields);
  }

  std::unique_ptr<RecordStream> input_;
  CsvOptions options_;
  std::vector<std::string> header_;
  std::string row_;
  bool row_ready_ = false;
};

}  // namespace

std::string csv_field(std::string_view text, const CsvOptions& options) {
  bool quote = options.quoting == CsvQuoting::Always ||
               text.find_first_of(std::string{options.delimiter, '"', '\r', '\n'}) !=
                   std::string_view::npos;
  if (!quote) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string csv_value_text(const Value& value) {
  if (value.is_double()) {
    std::string n = json_number(value.as_double());
    return n == "null" ? value.to_display() : n;  // NaN, Infinity as text
  }
  return value.to_display();
}

std::unique_ptr<RecordStream> csv_stream(std::unique_ptr<RecordStream> input, CsvOptions options) {
  return std::make_unique<CsvStream>(std::move(input), options);
}

}  // namespace mailflow
