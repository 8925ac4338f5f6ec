// ConvertTo-Json: the pipeline's values as one JSON array (SPEC 5: always an
// array, even of one or zero values, so that scripts parse one shape).
#include <deque>

#include "host/cmdlet.h"
#include "host/session.h"
#include "core/text.h"
#include "shell/json_text.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

// Pretty output streams: a value's lines are held until the next value (or
// the end) shows whether they need a trailing comma. Compressed output is a
// single line, so it is emitted at the end.
class JsonArrayStream : public RecordStream {
 public:
  JsonArrayStream(std::unique_ptr<RecordStream> input, int depth, bool compress)
      : input_(std::move(input)), depth_(depth), compress_(compress) {}

  std::optional<Value> next() override {
    while (lines_.empty() && !done_) pump();
    if (lines_.empty()) return std::nullopt;
    Value line(std::move(lines_.front()));
    lines_.pop_front();
    return line;
  }

 private:
  void pump() {
    std::optional<Value> v = input_->next();
    if (!v) {
      done_ = true;
      if (count_ == 0) {
        lines_.push_back("[]");
      } else if (compress_) {
        lines_.push_back(compact_ + "]");
      } else {
        release_held();
        lines_.push_back("]");
      }
      return;
    }
    if (compress_) {
      compact_ += count_++ ? "," : "[";
      compact_ += to_json(*v, depth_, false);
      return;
    }
    if (count_++ == 0) {
      lines_.push_back("[");
    } else {
      held_.back() += ',';
      release_held();
    }
    held_ = split("  " + to_json(*v, depth_, true, 1), '\n');
  }

  void release_held() {
    for (std::string& line : held_) lines_.push_back(std::move(line));
    held_.clear();
  }

  std::unique_ptr<RecordStream> input_;
  int depth_;
  bool compress_;
  std::deque<std::string> lines_;
  std::vector<std::string> held_;  // the latest value, waiting for its comma
  std::string compact_;
  size_t count_ = 0;
  bool done_ = false;
};

}  // namespace

CmdletSpec convert_to_json_cmdlet() {
  CmdletSpec spec;
  spec.name = "ConvertTo-Json";
  spec.synopsis = "Writes the pipeline's records as one JSON array.";
  spec.description =
      "The output is always a JSON array, even for one record or none ([]), so that scripts "
      "parse one shape. Records become objects with their properties in order; integers stay "
      "integers, other numbers are written in their shortest exact form, dates and times as "
      "ISO-8601 strings (2026-11-16, 2026-11-16T08:15:02Z), nil as null. Strings are escaped "
      "as JSON requires (quotes, backslashes, control characters); other Unicode is kept as "
      "UTF-8. Records or arrays nested deeper than -Depth are written as their display text, "
      "as PowerShell does. Indented two spaces per level unless -Compress.";
  spec.parameters = declare_parameters({
      Param::Int("Depth", "how many levels of nested records and arrays to expand")
          .default_value(Value(2))
          .min(0)
          .max(100),
      Param::Switch("Compress", "write the whole array on one line without spaces"),
  });
  spec.outputs = {"String"};
  spec.examples = {
      {"Get-TlsUsage -Direction Inbound | ConvertTo-Json",
       "The inbound TLS summary as an indented JSON array."},
      {"Get-MailFlowInsights -Days 30 | ConvertTo-Json -Compress",
       "The insights of the last 30 days on one line, for another program to read."},
  };
  spec.run = [](Session&, const BoundParameters& params,
                std::unique_ptr<RecordStream> input) -> std::unique_ptr<RecordStream> {
    int depth = static_cast<int>(params.integer("Depth").value_or(2));
    return std::make_unique<JsonArrayStream>(std::move(input), depth, params.flag("Compress"));
  };
  return spec;
}

}  // namespace mailflow
