// Format-Chart: draws pipeline records as terminal bars or daily sparklines.
// This file groups the records into a chart model; engine/render draws it.
#include <cstdlib>
#include <map>

#include "host/cmdlet.h"
#include "host/parameters.h"
#include "host/session.h"
#include "core/error.h"
#include "core/trace.h"
#include "locale/messages.h"
#include "render/terminal_chart.h"

namespace mailflow {

namespace {

const char* const kLabelForNull = N_("(none)");

std::string describe(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Null: return "null";
    case Value::Kind::String: return "'" + v.as_string() + "'";
    case Value::Kind::Record: return "a record";
    case Value::Kind::Array: return "an array";
    default: return "'" + v.to_display() + "'";
  }
}

const Record& record_at(const Value& v, size_t index) {
  if (!v.is_record())
    throw Error("InvalidChartInput", "Format-Chart: input " + std::to_string(index + 1) +
                                         " is " + describe(v) +
                                         ", not a record (put Format-Chart before any other formatter)");
  return v.as_record();
}

const Value& property_of(const Record& r, const std::string& name, size_t index) {
  const Value* v = r.get(name);
  if (!v)
    throw Error("PropertyNotFound", "Format-Chart: input record " + std::to_string(index + 1) +
                                        " has no property '" + name + "'");
  return *v;
}

double number_of(const Record& r, const std::string& name, size_t index) {
  const Value& v = property_of(r, name, index);
  double d = 0;
  bool ok = false;
  if (v.is_number()) {
    d = v.as_number();
    ok = true;
  } else if (v.is_string()) {
    char* end = nullptr;
    d = std::strtod(v.as_string().c_str(), &end);
    ok = !v.as_string().empty() && end && *end == '\0';
  }
  if (!ok)
    throw Error("InvalidChartValue", "Format-Chart: -Value " + name + " of input record " +
                                         std::to_string(index + 1) + " is " + describe(v) +
                                         ", not a number");
  if (d < 0)
    throw Error("InvalidChartValue", "Format-Chart: -Value " + name + " of input record " +
                                         std::to_string(index + 1) + " is " + v.to_display() +
                                         "; bars cannot show negative values");
  return d;
}

std::string text_of(const Value& v) { return v.is_null() ? _(kLabelForNull) : v.to_display(); }

std::string label_of(const Record& r, const std::vector<std::string>& props, size_t index) {
  std::string label;
  for (size_t i = 0; i < props.size(); ++i) {
    if (i) label += " / ";
    label += text_of(property_of(r, props[i], index));
  }
  return label;
}

DayNumber day_of_value(const Record& r, const std::string& name, size_t index) {
  const Value& v = property_of(r, name, index);
  if (v.is_date()) return v.as_date().day;
  if (v.is_datetime()) return day_of(v.as_datetime().seconds);
  if (v.is_string())
    if (auto t = parse_instant(v.as_string())) return day_of(*t);
  throw Error("InvalidChartValue", "Format-Chart: -Date " + name + " of input record " +
                                       std::to_string(index + 1) + " is " + describe(v) +
                                       ", not a date");
}

// Keys in order of first appearance, except that TLS versions always go from
// strongest to weakest (the report order), whatever order records came in.
std::vector<std::string> order_stack_keys(std::vector<std::string> keys) {
  for (const std::string& k : keys)
    if (!parse_tls(k) || k.empty()) return keys;
  std::vector<std::string> ordered;
  for (TlsVersion v : kTlsReportOrder)
    for (const std::string& k : keys)
      if (parse_tls(k) == v) ordered.push_back(k);
  for (const std::string& k : keys)  // Unknown last: not a version, the absence of one
    if (parse_tls(k) == TlsVersion::Unknown) ordered.push_back(k);
  return ordered;
}

// Index of `key` in `keys`, appending it when new.
size_t slot(std::vector<std::string>& keys, std::map<std::string, size_t>& index,
            const std::string& key) {
  auto [it, inserted] = index.emplace(key, keys.size());
  if (inserted) keys.push_back(key);
  return it->second;
}

BarChart bar_chart(const std::vector<Value>& input, const std::string& value_prop,
                   const std::vector<std::string>& label_props, const std::string& stack_prop) {
  std::vector<std::string> labels, keys;
  std::map<std::string, size_t> label_index, key_index;
  std::map<std::pair<size_t, size_t>, double> sums;
  for (size_t i = 0; i < input.size(); ++i) {
    const Record& r = record_at(input[i], i);
    double v = number_of(r, value_prop, i);
    std::string label = label_props.empty() ? value_prop : label_of(r, label_props, i);
    std::string key = stack_prop.empty() ? "" : text_of(property_of(r, stack_prop, i));
    size_t l = slot(labels, label_index, label);
    size_t k = slot(keys, key_index, key);
    sums[{l, k}] += v;
  }
  BarChart chart;
  chart.stack_keys = stack_prop.empty() ? keys : order_stack_keys(keys);
  for (size_t l = 0; l < labels.size(); ++l) {
    ChartBar bar{labels[l], {}};
    for (const std::string& key : chart.stack_keys) {
      auto it = sums.find({l, key_index.at(key)});
      bar.segments.push_back(it == sums.end() ? 0.0 : it->second);
    }
    chart.bars.push_back(std::move(bar));
  }
  // The legend of TLS versions names None (plain text) in the culture's words.
  bool tls = !chart.stack_keys.empty();
  for (const std::string& k : chart.stack_keys) tls = tls && !k.empty() && parse_tls(k);
  if (tls)
    for (std::string& k : chart.stack_keys)
      if (parse_tls(k) == TlsVersion::None) k = _p("TLS version", "None");
  return chart;
}

SparklineChart sparkline_chart(const std::vector<Value>& input, const std::string& value_prop,
                               const std::vector<std::string>& label_props,
                               const std::string& date_prop) {
  struct Point {
    size_t series;
    DayNumber day;
    double value;
  };
  std::vector<std::string> labels;
  std::map<std::string, size_t> label_index;
  std::vector<Point> points;
  DayNumber first = 0, last = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    const Record& r = record_at(input[i], i);
    Point p{0, day_of_value(r, date_prop, i), number_of(r, value_prop, i)};
    p.series = slot(labels, label_index, label_props.empty() ? value_prop : label_of(r, label_props, i));
    if (points.empty() || p.day < first) first = p.day;
    if (points.empty() || p.day > last) last = p.day;
    points.push_back(p);
  }
  SparklineChart chart;
  if (points.empty()) return chart;
  chart.first_day = first;
  chart.days = last - first + 1;
  for (const std::string& label : labels)
    chart.series.push_back({label, std::vector<double>(static_cast<size_t>(chart.days), 0.0)});
  for (const Point& p : points) chart.series[p.series].per_day[static_cast<size_t>(p.day - first)] += p.value;
  return chart;
}

std::unique_ptr<RecordStream> run(Session& session, const BoundParameters& params,
                                  std::unique_ptr<RecordStream> input) {
  std::vector<Value> records = collect(*input);
  const std::string value_prop = params.string("Value").value_or("");
  const std::vector<std::string> label_props = params.strings("Label");
  const std::string stack_prop = params.string("Stack").value_or("");
  const bool sparkline = params.flag("Sparkline");
  if (sparkline && !stack_prop.empty())
    throw Error("ParameterConflict", "Format-Chart: -Sparkline and -Stack cannot be used together");
  int width = static_cast<int>(params.integer("Width").value_or(session.terminal_width));
  Glyphs glyphs = params.flag("Ascii") || !locale_is_utf8([](const char* n) { return std::getenv(n); })
                      ? Glyphs::Ascii
                      : Glyphs::Unicode;

  std::vector<std::string> lines =
      sparkline ? render_sparklines(sparkline_chart(records, value_prop, label_props,
                                                    params.string("Date").value_or("Date")),
                                    width, glyphs)
                : render_bar_chart(bar_chart(records, value_prop, label_props, stack_prop), width,
                                   glyphs);
  std::vector<Value> out;
  out.reserve(lines.size());
  for (std::string& line : lines) out.emplace_back(std::move(line));
  return std::make_unique<VectorStream>(std::move(out));
}

}  // namespace

CmdletSpec format_chart_cmdlet() {
  CmdletSpec spec;
  spec.name = "Format-Chart";
  spec.synopsis = "Draws records as horizontal bars or daily sparklines in the terminal.";
  spec.description =
      "Sums -Value per -Label (one bar or line per distinct label, in input order) and draws "
      "it with Unicode block characters, or ASCII when the locale (LC_ALL, LC_CTYPE, LANG) is "
      "not UTF-8 or -Ascii is given. -Stack splits each bar by another property, one fill per "
      "value with a legend (TLS versions go from TLS1.3 to None). -Sparkline draws one line per "
      "label over the days of -Date (default Date), each scaled to its own peak; days without "
      "records count as 0. The width is -Width, else the terminal's. Emits lines of text.";
  spec.parameters = declare_parameters({
      Param::String("Value", "numeric property to draw").mandatory().position(0).completion(Completion::Property),
      Param::Strings("Label", "properties naming a bar or line (several are joined with ' / ')")
          .position(1)
          .completion(Completion::Property),
      Param::String("Stack", "property splitting each bar into segments (e.g. TlsVersion)")
          .completion(Completion::Property),
      Param::Switch("Sparkline", "one sparkline per label over the days of -Date"),
      Param::String("Date", "day property for -Sparkline").default_value(Value("Date")).completion(Completion::Property),
      Param::Int("Width", "columns to use (default: the terminal's width)").min(20).max(1000),
      Param::Switch("Ascii", "draw with ASCII characters even in a UTF-8 locale"),
  });
  spec.outputs = {"String"};
  spec.examples = {
      {"Get-TlsUsage -ByConnector | Format-Chart -Value Percent -Label Direction,Connector -Stack TlsVersion",
       "One 100% bar per connector and direction, split by TLS version from TLS1.3 to None."},
      {"Get-ConnectorReport -Days 30 | Format-Chart -Value Messages -Label Connector -Sparkline",
       "One line per connector showing its messages per day over the last 30 days."},
      {"Get-ConnectorReport | Format-Chart Messages Connector",
       "Total messages per connector over the last 7 days as bars."},
  };
  spec.run = run;
  return spec;
}

}  // namespace mailflow
