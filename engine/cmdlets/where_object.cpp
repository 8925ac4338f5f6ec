// Where-Object (aliases where, ?): keeps the records for which a condition
// holds. One parameter set per meaning: a script block, or Property with one
// operator switch and Value; both go through shell/comparison.
#include <memory>

#include "host/parameters.h"
#include "shell/comparison.h"
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
  std::vector<ParamEntry> params = {
      Param::Script("FilterScript", "The condition, e.g. { $_.Percent -gt 50 }.").position(0),
      Param::String("Property", "The property to compare (simple form).").position(0).completion(Completion::Property),
      Param::Any("Value", "The value to compare the property with (simple form).").position(1),
  };
  for (const CompareOpInfo& op : kCompareOps) params.emplace_back(Param::Switch(op.switch_name, op.help));
  params.emplace_back(Param::Switch("Not", "The property is empty, zero, false or absent."));
  c.parameters = declare_parameters(std::move(params), c.name);
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
