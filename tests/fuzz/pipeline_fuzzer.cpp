// libFuzzer target for the pipeline language: the tolerant lexer (used by
// completion), the parser, then the binder of each stage against the
// built-in cmdlets' declarations. Nothing runs: binding is where text becomes
// numbers, dates and script blocks. Errors (mailflow::Error) are expected;
// crashes, hangs and sanitizer reports are findings.
#include <cstdint>
#include <string>
#include <string_view>

#include "cmdlets/builtin.h"
#include "host/cmdlet.h"
#include "core/error.h"
#include "shell/binder.h"
#include "shell/expression.h"
#include "shell/lexer.h"
#include "shell/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mailflow;
  static Registry* registry = [] {
    auto* r = new Registry;
    register_builtin_cmdlets(*r);
    return r;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    tokenize(text, LexMode::Argument);
    tokenize(text, LexMode::Expression);
  } catch (const Error&) {
  }
  try {
    compile_filter(text, 0, nullptr);
  } catch (const Error&) {
  }
  try {
    PipelineLine line = parse_pipeline(text);
    VariableLookup no_variables = [](const std::string&) -> std::optional<Value> { return std::nullopt; };
    bool has_input = !line.source_variable.empty();
    for (const Stage& stage : line.stages) {
      const CmdletSpec* spec = registry->find(stage.command);
      if (spec) {
        try {
          bind_arguments(*spec, stage.args, has_input, no_variables);
        } catch (const Error&) {
        }
      }
      has_input = true;
    }
  } catch (const Error&) {
  }
  return 0;
}
