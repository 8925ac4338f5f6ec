// The values that flow through pipelines: scalars, dates, arrays and records.
// A record is an ordered property list (as a PowerShell PSObject); records
// from one source share one Schema so that a million trace records do not
// carry a million copies of their property names.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.h"

namespace mailflow {

class Value;
class Record;
using Array = std::vector<Value>;

struct DateTime {
  UnixSeconds seconds;
  bool operator==(const DateTime&) const = default;
};
struct Date {
  DayNumber day;
  bool operator==(const Date&) const = default;
};

class Value {
 public:
  enum class Kind { Null, Bool, Int, Double, String, DateTime, Date, Array, Record };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(static_cast<std::int64_t>(i)) {}
  Value(std::int64_t i) : v_(i) {}
  Value(double d) : v_(d) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(DateTime t) : v_(t) {}
  Value(Date d) : v_(d) {}
  Value(Array a) : v_(std::make_shared<const Array>(std::move(a))) {}
  Value(Record r);
  Value(std::shared_ptr<const Record> r) : v_(std::move(r)) {}

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::Null; }
  bool is_bool() const { return kind() == Kind::Bool; }
  bool is_int() const { return kind() == Kind::Int; }
  bool is_double() const { return kind() == Kind::Double; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return kind() == Kind::String; }
  bool is_datetime() const { return kind() == Kind::DateTime; }
  bool is_date() const { return kind() == Kind::Date; }
  bool is_array() const { return kind() == Kind::Array; }
  bool is_record() const { return kind() == Kind::Record; }

  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  // Int or Double as double.
  double as_number() const { return is_int() ? static_cast<double>(as_int()) : as_double(); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  DateTime as_datetime() const { return std::get<DateTime>(v_); }
  Date as_date() const { return std::get<Date>(v_); }
  const Array& as_array() const { return *std::get<std::shared_ptr<const Array>>(v_); }
  const Record& as_record() const { return *std::get<std::shared_ptr<const Record>>(v_); }
  const std::shared_ptr<const Record>& record_ptr() const {
    return std::get<std::shared_ptr<const Record>>(v_);
  }

  // Text as PowerShell would show it in a table cell: nulls are empty,
  // dates ISO-8601, doubles without trailing zeros, arrays as {a, b}.
  std::string to_display() const;

  // Truthiness as in PowerShell: null, false, 0, "" and empty arrays are false.
  bool truthy() const;

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, DateTime, Date,
               std::shared_ptr<const Array>, std::shared_ptr<const Record>>
      v_;
};

// The ordered, case-insensitive property names of a family of records.
class Schema {
 public:
  explicit Schema(std::vector<std::string> names) : names_(std::move(names)) {}
  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return names_.size(); }
  // Index of `name` (case-insensitive), or -1.
  int find(std::string_view name) const;

 private:
  std::vector<std::string> names_;
};

class Record {
 public:
  Record() : schema_(std::make_shared<Schema>(std::vector<std::string>{})) {}
  Record(std::shared_ptr<const Schema> schema, std::vector<Value> values)
      : schema_(std::move(schema)), values_(std::move(values)) {}

  const Schema& schema() const { return *schema_; }
  const std::shared_ptr<const Schema>& schema_ptr() const { return schema_; }
  const std::vector<Value>& values() const { return values_; }
  size_t size() const { return values_.size(); }
  const std::string& name(size_t i) const { return schema_->names()[i]; }
  const Value& value(size_t i) const { return values_[i]; }

  // The property's value, or nullptr when the record has no such property.
  const Value* get(std::string_view name) const;
  // Sets an existing property or appends a new one (copying the schema).
  void set(std::string_view name, Value value);

 private:
  std::shared_ptr<const Schema> schema_;
  std::vector<Value> values_;
};

inline Value::Value(Record r) : v_(std::make_shared<const Record>(std::move(r))) {}

// PowerShell-style comparison used by Sort-Object and Where-Object: numbers
// numerically, strings case-insensitively, dates chronologically; a string
// compared with a number or date is converted when it parses. Nulls sort first.
int compare_values(const Value& a, const Value& b);
bool values_equal(const Value& a, const Value& b);

}  // namespace mailflow
