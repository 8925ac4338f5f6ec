#include "core/value.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/text.h"

namespace mailflow {

std::string Value::to_display() const {
  switch (kind()) {
    case Kind::Null: return "";
    case Kind::Bool: return as_bool() ? "True" : "False";
    case Kind::Int: return std::to_string(as_int());
    case Kind::Double: {
      double d = as_double();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15)
        return std::to_string(static_cast<std::int64_t>(d));
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.15g", d);
      return buf;
    }
    case Kind::String: return as_string();
    case Kind::DateTime: return format_instant(as_datetime().seconds);
    case Kind::Date: return format_date(as_date().day);
    case Kind::Array: {
      std::string out = "{";
      const Array& a = as_array();
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ", ";
        out += a[i].to_display();
      }
      return out + "}";
    }
    case Kind::Record: {
      std::string out = "@{";
      const Record& r = as_record();
      for (size_t i = 0; i < r.size(); ++i) {
        if (i) out += "; ";
        out += r.name(i) + "=" + r.value(i).to_display();
      }
      return out + "}";
    }
  }
  return "";
}

bool Value::truthy() const {
  switch (kind()) {
    case Kind::Null: return false;
    case Kind::Bool: return as_bool();
    case Kind::Int: return as_int() != 0;
    case Kind::Double: return as_double() != 0.0;
    case Kind::String: return !as_string().empty();
    case Kind::Array: return !as_array().empty();
    default: return true;
  }
}

int Schema::find(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (iequals(names_[i], name)) return static_cast<int>(i);
  return -1;
}

const Value* Record::get(std::string_view name) const {
  int i = schema_->find(name);
  return i < 0 ? nullptr : &values_[static_cast<size_t>(i)];
}

void Record::set(std::string_view name, Value value) {
  int i = schema_->find(name);
  if (i >= 0) {
    values_[static_cast<size_t>(i)] = std::move(value);
    return;
  }
  std::vector<std::string> names = schema_->names();
  names.emplace_back(name);
  schema_ = std::make_shared<Schema>(std::move(names));
  values_.push_back(std::move(value));
}

namespace {

std::optional<double> number_of(const Value& v) {
  if (v.is_number()) return v.as_number();
  if (v.is_bool()) return v.as_bool() ? 1.0 : 0.0;
  if (v.is_string()) {
    const std::string& s = v.as_string();
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0') return d;
  }
  return std::nullopt;
}

std::optional<UnixSeconds> instant_of(const Value& v) {
  if (v.is_datetime()) return v.as_datetime().seconds;
  if (v.is_date()) return start_of_day(v.as_date().day);
  if (v.is_string()) return parse_instant(v.as_string());
  return std::nullopt;
}

template <typename T>
int three_way(T a, T b) { return a < b ? -1 : (b < a ? 1 : 0); }

}  // namespace

int compare_values(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return three_way(!a.is_null(), !b.is_null());
  if (a.is_datetime() || a.is_date() || b.is_datetime() || b.is_date()) {
    auto x = instant_of(a), y = instant_of(b);
    if (x && y) return three_way(*x, *y);
  }
  if (a.is_number() || b.is_number()) {
    auto x = number_of(a), y = number_of(b);
    if (x && y) return three_way(*x, *y);
  }
  if (a.is_bool() && b.is_bool()) return three_way(a.as_bool(), b.as_bool());
  return icompare(a.to_display(), b.to_display());
}

bool values_equal(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  return compare_values(a, b) == 0;
}

}  // namespace mailflow
