#include "render/dashboard_data.h"

#include <cmath>

#include "core/error.h"
#include "locale/messages.h"

namespace mailflow {

namespace {

class RecordReader {
 public:
  RecordReader(const std::vector<Value>& records, size_t index, const char* cmdlet)
      : cmdlet_(cmdlet), index_(index) {
    if (!records[index].is_record()) fail("is not a record");
    record_ = &records[index].as_record();
  }

  const Value& get(const char* name) const {
    const Value* v = record_->get(name);
    if (!v) fail(std::string("has no property '") + name + "'");
    return *v;
  }
  std::string text(const char* name) const {
    const Value& v = get(name);
    if (v.is_null()) fail(std::string("has a null '") + name + "'");
    return v.to_display();
  }
  // A property that must exist but may be nil (Connector: no connector).
  std::optional<std::string> nullable_text(const char* name) const {
    const Value& v = get(name);
    if (v.is_null()) return std::nullopt;
    return v.to_display();
  }
  // A property that may be absent altogether.
  std::optional<std::string> optional_text(const char* name) const {
    const Value* v = record_->get(name);
    if (!v || v->is_null()) return std::nullopt;
    return v->to_display();
  }
  double number(const char* name) const {
    const Value& v = get(name);
    if (!v.is_number() || !std::isfinite(v.as_number()))
      fail(std::string("has a non-numeric '") + name + "' (" + v.to_display() + ")");
    return v.as_number();
  }
  // A number that may be nil (Get-TlsUsage's Percent of the Unknown row).
  std::optional<double> nullable_number(const char* name) const {
    if (get(name).is_null()) return std::nullopt;
    return number(name);
  }
  std::int64_t count(const char* name) const {
    double d = number(name);
    if (d < 0 || d != std::floor(d))
      fail(std::string("has '") + name + "' = " + get(name).to_display() + ", not a count");
    return static_cast<std::int64_t>(d);
  }
  DayNumber day(const char* name) const {
    const Value& v = get(name);
    if (v.is_date()) return v.as_date().day;
    if (v.is_datetime()) return day_of(v.as_datetime().seconds);
    if (v.is_string())
      if (auto t = parse_instant(v.as_string())) return day_of(*t);
    fail(std::string("has '") + name + "' = " + v.to_display() + ", not a date");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error("InvalidReportData", std::string("Export-MailFlowReport: record ") +
                                         std::to_string(index_ + 1) + " of " + cmdlet_ + " " +
                                         what);
  }

  const char* cmdlet_;
  size_t index_;
  const Record* record_ = nullptr;
};

}  // namespace

std::string connector_label(const std::optional<std::string>& connector) {
  // TRANSLATORS: the connector of traffic that used none, as the reports show it.
  return connector ? *connector : _("(none)");
}

std::vector<FlowRow> flow_rows(const std::vector<Value>& records) {
  std::vector<FlowRow> rows;
  for (size_t i = 0; i < records.size(); ++i) {
    RecordReader r(records, i, "Get-ConnectorReport");
    rows.push_back({r.day("Date"), r.text("Direction"), r.nullable_text("Connector"),
                    r.count("Messages")});
  }
  return rows;
}

std::vector<TlsRow> tls_rows(const std::vector<Value>& records, const char* cmdlet) {
  std::vector<TlsRow> rows;
  for (size_t i = 0; i < records.size(); ++i) {
    RecordReader r(records, i, cmdlet);
    rows.push_back({r.text("Direction"), r.optional_text("Connector"), r.text("TlsVersion"),
                    r.count("Messages"), r.nullable_number("Percent")});
  }
  return rows;
}

std::vector<InsightRow> insight_rows(const std::vector<Value>& records) {
  std::vector<InsightRow> rows;
  for (size_t i = 0; i < records.size(); ++i) {
    RecordReader r(records, i, "Get-MailFlowInsights");
    rows.push_back({r.text("Rule"), r.text("Title"), r.text("Direction"),
                    r.nullable_text("Connector"), r.number("Value"), r.number("Threshold"),
                    r.count("Messages"), r.optional_text("Recommendation").value_or("")});
  }
  return rows;
}

}  // namespace mailflow
