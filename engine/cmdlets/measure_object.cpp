// Measure-Object (alias measure): counts records and, for numeric
// properties, their sum, average, minimum and maximum. Output as PowerShell's
// GenericMeasureInfo: Count, Average, Sum, Maximum, Minimum, Property; the
// statistics not asked for are empty.
#include <memory>

#include "host/cmdlet.h"
#include "cmdlets/property_reader.h"
#include "core/error.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

struct Measure {
  std::string property;
  std::int64_t count = 0;
  double sum = 0;
  bool all_numeric = true;
  std::optional<Value> min, max;
  bool seen = false;  // the property exists on at least one record
};

void add(Measure& m, const Value& v, bool need_number) {
  if (v.is_null()) return;
  ++m.count;
  if (v.is_number()) {
    m.sum += v.as_number();
  } else if (need_number) {
    throw Error("NonNumericInput", "Input object \"" + v.to_display() + "\"" +
                                       (m.property.empty() ? "" : " of property \"" + m.property + "\"") +
                                       " is not numeric.");
  } else {
    m.all_numeric = false;
  }
  if (!m.min || compare_values(v, *m.min) < 0) m.min = v;
  if (!m.max || compare_values(v, *m.max) > 0) m.max = v;
}

Value numeric_or_value(const std::optional<Value>& v) {
  if (!v) return Value();
  if (v->is_number()) return Value(v->as_number());
  return *v;
}

}  // namespace

CmdletSpec measure_object_cmdlet() {
  CmdletSpec c;
  c.name = "Measure-Object";
  c.aliases = {"measure"};
  c.synopsis = "Counts records and sums, averages or bounds numeric properties.";
  c.description =
      "Without -Property, counts the input. With -Property, emits one record per property: "
      "Count (records where it is not empty) and, when asked with -Sum, -Average, -Minimum "
      "or -Maximum, those statistics; the others stay empty. -Sum and -Average need numbers.";
  c.parameters = declare_parameters({
      Param::Strings("Property", "Properties to measure.").position(0).completion(Completion::Property),
      Param::Switch("Sum", "Add the values up."),
      Param::Switch("Average", "Average the values."),
      Param::Switch("Minimum", "The smallest value."),
      Param::Switch("Maximum", "The largest value."),
  });
  c.outputs = {"Count", "Average", "Sum", "Maximum", "Minimum", "Property"};
  c.examples = {
      {"Get-MessageTrace -TlsVersion TLS1.0 | Measure-Object", "How many TLS 1.0 traces there are."},
      {"Get-MessageTrace | Measure-Object Size -Sum -Average -Maximum", "Message sizes."},
  };
  c.run = [](Session&, const BoundParameters& params, std::unique_ptr<RecordStream> input)
      -> std::unique_ptr<RecordStream> {
    bool sum = params.flag("Sum"), average = params.flag("Average");
    bool minimum = params.flag("Minimum"), maximum = params.flag("Maximum");
    bool need_number = sum || average;
    std::vector<std::string> properties = params.strings("Property");
    std::vector<Measure> measures;
    std::vector<PropertyReader> readers;
    for (const std::string& p : properties) {
      measures.emplace_back();
      measures.back().property = p;
      readers.emplace_back(p);
    }
    if (properties.empty()) measures.emplace_back();
    while (auto v = input->next()) {
      if (properties.empty()) {
        // Counting objects: every input counts, numbers feed the statistics.
        Measure& m = measures.front();
        m.seen = true;
        if (need_number || minimum || maximum) {
          add(m, *v, need_number);
        } else {
          ++m.count;
        }
        continue;
      }
      for (size_t i = 0; i < readers.size(); ++i) {
        const Value* value = readers[i].read(*v);
        if (!value) continue;
        measures[i].seen = true;
        add(measures[i], *value, need_number);
      }
    }
    auto schema = std::make_shared<const Schema>(
        std::vector<std::string>{"Count", "Average", "Sum", "Maximum", "Minimum", "Property"});
    std::vector<Value> out;
    for (const Measure& m : measures) {
      if (!properties.empty() && !m.seen)
        throw Error("PropertyNotFound", "The property \"" + m.property +
                                            "\" cannot be found in the input for any objects.");
      Value avg = average && m.count > 0 ? Value(m.sum / static_cast<double>(m.count)) : Value();
      std::vector<Value> values = {
          Value(m.count), avg, sum ? Value(m.sum) : Value(),
          maximum ? numeric_or_value(m.max) : Value(), minimum ? numeric_or_value(m.min) : Value(),
          m.property.empty() ? Value() : Value(m.property)};
      out.emplace_back(Record(schema, std::move(values)));
    }
    return std::make_unique<VectorStream>(std::move(out));
  };
  return c;
}

}  // namespace mailflow
