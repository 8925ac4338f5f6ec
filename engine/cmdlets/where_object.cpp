// Where-Object (aliases where, ?): keeps the records for which a condition
// holds. One parameter set per meaning: a script block, or Property with one
// operator switch and Value; both go through shell/comparison.
#include <memory>

#include "host/cmdlet.h"
#include "shell/expression.h"

namespace mailflow {

namespace {

class FilterStream : public RecordStream {
 public:
  FilterStream(std::unique_ptr<RecordStream> input, Filter filter)
      : input_(std::move(input)), filter_(std::move(filter)) {}
  std::optional<Value> next() override {
    while (auto v = input_->next())
      if (filter_.test(*v)) return v;
    return std::nullopt;
  }

 private:
  std::unique_ptr<RecordStream> input_;
  Filter filter_;
};

ParamSpec op_switch(const char* name, const char* help) {
  ParamSpec p;
  p.name = name;
  p.type = ParamType::Switch;
  p.help = help;
  return p;
}

}  // namespace

CmdletSpec where_object_cmdlet() {
  CmdletSpec c;
  c.name = "Where-Object";
  c.aliases = {"where", "?"};
  c.filters_records = true;
  c.synopsis = "Keeps the pipeline records for which a condition holds.";
  c.description =
      "Takes a script block ({ $_.TlsVersion -eq 'TLS1.0' -and $_.Percent -gt 50 }) or the "
      "simple form Property -Operator Value. String comparisons are case-insensitive; -Like "
      "takes * ? [a-z] wildcards and -Match a regular expression. Directly after a cmdlet that "
      "can filter itself (Get-MessageTrace), a comparison is pushed down into its parameters.";
  ParamSpec script;
  script.name = "FilterScript";
  script.type = ParamType::ScriptBlock;
  script.position = 0;
  script.help = "The condition, e.g. { $_.Percent -gt 50 }.";
  ParamSpec property;
  property.name = "Property";
  property.type = ParamType::String;
  property.position = 0;
  property.completion = Completion::Property;
  property.help = "The property to compare (simple form).";
  ParamSpec value;
  value.name = "Value";
  value.type = ParamType::Any;
  value.position = 1;
  value.help = "The value to compare the property with (simple form).";
  c.parameters = {script, property, value,
                  op_switch("EQ", "Equal (case-insensitive for strings)."),
                  op_switch("NE", "Not equal."),
                  op_switch("GT", "Greater than."),
                  op_switch("GE", "Greater than or equal."),
                  op_switch("LT", "Less than."),
                  op_switch("LE", "Less than or equal."),
                  op_switch("Like", "Matches a wildcard pattern (* ? [a-z])."),
                  op_switch("NotLike", "Does not match a wildcard pattern."),
                  op_switch("Match", "Matches a regular expression (case-insensitive)."),
                  op_switch("NotMatch", "Does not match a regular expression."),
                  op_switch("In", "The property's value is one of Value's items."),
                  op_switch("NotIn", "The property's value is none of Value's items."),
                  op_switch("Contains", "The property (a collection) contains Value."),
                  op_switch("NotContains", "The property (a collection) does not contain Value."),
                  op_switch("Not", "The property is empty, zero, false or absent.")};
  c.outputs = {"(the input records)"};
  c.examples = {
      {"Get-TlsUsage -ByConnector | Where-Object { $_.TlsVersion -eq 'TLS1.0' -and $_.Percent -gt 50 }",
       "TLS 1.0 shares above half of a connector's traffic."},
      {"Get-MessageTrace | Where-Object SenderAddress -like '*@contoso.com'",
       "Traces sent from contoso.com (pushed down into Get-MessageTrace)."},
  };
  c.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream> input)
      -> std::unique_ptr<RecordStream> {
    return std::make_unique<FilterStream>(std::move(input),
                                          where_filter(params, params.script_offset("FilterScript"),
                                                       session_variables(session)));
  };
  return c;
}

}  // namespace mailflow
