// The pipeline runner: parse, bind every stage, push filters down, then
// connect the stages' streams. Nothing runs until the last stream is pulled,
// and each stage pulls only what it needs (Select-Object -First 5 stops its
// source after five records).
#include <cstdlib>
#include <memory>

#include "host/script_host.h"
#include "host/session.h"
#include "core/error.h"
#include "core/text.h"
#include "core/terminal.h"
#include "shell/binder.h"
#include "shell/format.h"
#include "shell/parser.h"
#include "shell/pushdown.h"
#include "shell/shell.h"

namespace mailflow {

namespace {

ScriptHost& script_host(Session& session, const std::string& name, int column) {
  if (!session.lua)
    throw Error("NoScriptHost", "Cannot use variable '$" + name +
                                    "': variables live in the Lua runtime, which is not running.")
        .at_column(column);
  return *session.lua;
}

// Gives a stage's errors the stage's column when they carry none, and stops
// the pipeline when Ctrl-C was pressed.
class StageStream : public RecordStream {
 public:
  StageStream(std::unique_ptr<RecordStream> inner, int column, std::atomic<bool>* interrupted)
      : inner_(std::move(inner)), column_(column), interrupted_(interrupted) {}
  std::optional<Value> next() override {
    if (interrupted_ && interrupted_->load())
      throw Error("PipelineStopped", "The pipeline has been stopped.");
    try {
      return inner_->next();
    } catch (Error& e) {
      if (e.column() == 0) e.at_column(column_);
      throw;
    }
  }

 private:
  std::unique_ptr<RecordStream> inner_;
  int column_;
  std::atomic<bool>* interrupted_;
};

std::vector<PreparedStage> prepare(Session& session, const PipelineLine& line) {
  if (!session.registry) throw Error("NoRegistry", "The cmdlet registry is not set up.");
  VariableLookup variables = session_variables(session);
  std::vector<PreparedStage> stages;
  for (size_t i = 0; i < line.stages.size(); ++i) {
    const Stage& stage = line.stages[i];
    const CmdletSpec* declared = session.registry->find(stage.command);
    if (!declared)
      throw Error("CommandNotFound",
                  "The term '" + stage.command +
                      "' is not recognized as a name of a cmdlet. Check the spelling of the "
                      "name (Get-Command lists them), and try again.")
          .at_column(stage.column);
    bool has_input = i > 0 || !line.source_variable.empty();
    PreparedStage prepared;
    prepared.spec = with_dynamic_parameters(*declared, session);
    const CmdletSpec* spec = prepared.spec.get();
    prepared.column = stage.column;
    try {
      Binding binding = bind_arguments(*spec, stage.args, has_input, variables);
      prepared.params = std::move(binding.params);
      if (spec->filters_records) {
        prepared.where = where_filter(prepared.params, prepared.params.script_offset("FilterScript"), variables);
      }
    } catch (Error& e) {
      if (e.column() == 0) e.at_column(stage.column);
      throw;
    }
    stages.push_back(std::move(prepared));
  }
  apply_pushdown(stages);
  return stages;
}

std::unique_ptr<RecordStream> connect(Session& session, const PipelineLine& line,
                                      std::vector<PreparedStage>& stages) {
  std::unique_ptr<RecordStream> stream;
  if (!line.source_variable.empty()) {
    ScriptHost& host = script_host(session, line.source_variable, line.source_column);
    std::optional<std::vector<Value>> values = host.get_variable(line.source_variable);
    if (!values)
      throw Error("VariableNotSet", "The variable '$" + line.source_variable +
                                        "' cannot be retrieved because it has not been set.")
          .at_column(line.source_column);
    stream = std::make_unique<VectorStream>(std::move(*values));
  } else {
    stream = std::make_unique<VectorStream>(std::vector<Value>{});
  }
  for (PreparedStage& stage : stages) {
    if (!stage.spec->run)
      throw Error("CommandNotRunnable", stage.spec->name + " has no implementation.")
          .at_column(stage.column);
    try {
      stream = stage.spec->run(session, stage.params, std::move(stream));
    } catch (Error& e) {
      if (e.column() == 0) e.at_column(stage.column);
      throw;
    }
    stream = std::make_unique<StageStream>(std::move(stream), stage.column, session.interrupted);
  }
  return stream;
}

// Runs a parsed line; for `$x = ...` stores the result and returns nothing.
std::vector<Value> run_parsed(Session& session, const PipelineLine& line) {
  if (!line.assign_to.empty()) script_host(session, line.assign_to, line.assign_column);
  std::vector<PreparedStage> stages = prepare(session, line);
  std::unique_ptr<RecordStream> stream = connect(session, line, stages);
  std::vector<Value> values = collect(*stream);
  if (!line.assign_to.empty()) {
    session.lua->set_variable(line.assign_to, values);
    return {};
  }
  return values;
}

// A pipeline that ends without a formatter prints a table (SPEC 5): the
// stream goes through the table view, which passes formatter output and
// other scalars through one per line, and lays out runs of records.
void print_stream(Session& session, std::unique_ptr<RecordStream> stream, std::ostream& out) {
  TableOptions options;
  options.max_width = session.terminal_width;
  options.unicode = locale_is_utf8([](const char* name) { return std::getenv(name); });
  auto lines = table_stream(std::move(stream), std::move(options));
  while (auto line = lines->next()) out << terminal_safe(line->to_display()) << "\n";
}

// Verb-Noun: an unknown one is still meant as a cmdlet (and is never valid
// Lua), so it gets "is not recognized" rather than a Lua syntax error.
bool looks_like_cmdlet_name(std::string_view word) {
  size_t dash = word.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash + 1 == word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (i == dash ? c != '-' : !letter) return false;
  }
  return true;
}

}  // namespace

VariableLookup session_variables(Session& session) {
  return [&session](const std::string& name) -> std::optional<Value> {
    if (!session.lua) return std::nullopt;
    std::optional<std::vector<Value>> values = session.lua->get_variable(name);
    if (!values) return std::nullopt;
    if (values->size() == 1) return values->front();
    return Value(Array(std::move(*values)));
  };
}

std::string format_error_at(const Error& error, std::string_view line) {
  std::string out = error.what();
  if (error.column() <= 0) return out;
  // Tabs keep their width under the caret so it lines up in a terminal.
  std::string pad;
  for (int i = 0; i + 1 < error.column() && static_cast<size_t>(i) < line.size(); ++i)
    pad += line[static_cast<size_t>(i)] == '\t' ? '\t' : ' ';
  out += "\nAt line:1 char:" + std::to_string(error.column());
  out += "\n+ " + std::string(line);
  out += "\n+ " + pad + "^";
  return out;
}

std::vector<Value> invoke_pipeline(Session& session, std::string_view text) {
  return run_parsed(session, parse_pipeline(text));
}

void run_line(Session& session, std::string_view text, std::ostream& out) {
  try {
    PipelineLine line = parse_pipeline(text);
    if (!line.assign_to.empty()) {
      run_parsed(session, line);
      return;
    }
    std::vector<PreparedStage> stages = prepare(session, line);
    print_stream(session, connect(session, line, stages), out);
  } catch (const Error& e) {
    throw Error(e.id(), format_error_at(e, text)).at_column(e.column());
  }
}

bool is_pipeline_line(const Registry& registry, std::string_view line) {
  std::string_view s = trim(line);
  if (s.empty()) return false;
  if (s[0] == '$') return true;  // never valid Lua
  size_t end = 0;
  while (end < s.size() && s[end] != ' ' && s[end] != '\t' && s[end] != '|') ++end;
  std::string_view word = s.substr(0, end);
  if (!registry.find(word) && !looks_like_cmdlet_name(word)) return false;
  // `select = 3` or `sort == x` is Lua that happens to start with an alias.
  std::string_view rest = trim(s.substr(end));
  if (!rest.empty() && rest[0] == '=') return false;
  return true;
}

}  // namespace mailflow
