// ForEach-Object (aliases foreach, %): one value per input record, computed
// by a script block (`% { $_.Connector + ': ' + $_.Percent }`, the value
// expressions of shell/expression.h) or read from a member (`% Connector`,
// -MemberName). As in PowerShell, an array result is emitted item by item
// and $null emits nothing.
#include <memory>

#include "host/cmdlet.h"
#include "cmdlets/property_reader.h"
#include "core/error.h"
#include "shell/expression.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

class ForEachStream : public RecordStream {
 public:
  ForEachStream(std::unique_ptr<RecordStream> input, Expression expression)
      : input_(std::move(input)), expression_(std::move(expression)) {}
  std::optional<Value> next() override {
    while (true) {
      if (pending_pos_ < pending_.size()) return std::move(pending_[pending_pos_++]);
      auto item = input_->next();
      if (!item) return std::nullopt;
      Value v = expression_.evaluate(*item);
      if (v.is_null()) continue;
      if (!v.is_array()) return v;
      pending_ = v.as_array();
      pending_pos_ = 0;
    }
  }

 private:
  std::unique_ptr<RecordStream> input_;
  Expression expression_;
  std::vector<Value> pending_;
  size_t pending_pos_ = 0;
};

}  // namespace

CmdletSpec for_each_object_cmdlet() {
  CmdletSpec c;
  c.name = "ForEach-Object";
  c.aliases = {"foreach", "%"};
  c.synopsis = "Emits a value computed from each pipeline record.";
  c.description =
      "Takes a script block whose value is emitted for each record ({ $_.Size / 1KB }, "
      "{ $_.Connector + ': ' + $_.Percent }; arithmetic and comparisons as in Where-Object), or "
      "-MemberName, a property whose value is emitted. An array value is emitted item by item; "
      "$null emits nothing.";
  c.parameters = declare_parameters({
      Param::Script("Process", "The value to emit for each record, e.g. { $_.Messages * 2 }.").position(0),
      Param::String("MemberName", "A property whose value is emitted for each record.")
          .position(0)
          .completion(Completion::Property),
  });
  c.outputs = {"(one value per record)"};
  c.examples = {
      {"Get-TlsUsage -ByConnector | ForEach-Object { $_.Connector + ' ' + $_.TlsVersion + ': ' + $_.Percent + '%' }",
       "One line of text per connector and TLS version."},
      {"Get-MessageTrace -Days 1 | % RecipientAddress", "The recipients of the last day's traces."},
  };
  c.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream> input)
      -> std::unique_ptr<RecordStream> {
    auto script = params.string("Process");
    auto member = params.string("MemberName");
    if (script && member)
      throw Error("AmbiguousParameterSet", "ForEach-Object takes a script block or -MemberName, not both.");
    if (!script && !member)
      throw Error("ParameterBindingFailed",
                  "ForEach-Object needs a script block, ForEach-Object { $_.Size / 1KB }, or a "
                  "property name, ForEach-Object Size.");
    Expression e = script ? compile_expression(*script, params.script_offset("Process"), session_variables(session))
                          : property_expression(*member);
    return std::make_unique<ForEachStream>(std::move(input), std::move(e));
  };
  return c;
}

}  // namespace mailflow
