// Declared examples are tests (STYLE.md): every example of every registered
// cmdlet must run that cmdlet (by name or alias) as one of its pipeline
// stages, and every parameter given to it there must be one the cmdlet
// declares (by name, alias or unique prefix), with no more positional values
// than positional parameters. Until the
// pipeline runner can execute them against a fixture store, this keeps the
// help pages from advertising commands the binder would refuse.
#include <gtest/gtest.h>

#include "cmdlets/builtin.h"
#include "host/cmdlet.h"
#include "core/text.h"

namespace mailflow {
namespace {

struct ExampleCase {
  std::string cmdlet;
  size_t index;
  std::string command;
};

const Registry& builtin_registry() {
  static const Registry* registry = [] {
    auto* r = new Registry;
    register_builtin_cmdlets(*r);
    return r;
  }();
  return *registry;
}

std::vector<ExampleCase> all_examples() {
  std::vector<ExampleCase> cases;
  for (const CmdletSpec* c : builtin_registry().all())
    for (size_t i = 0; i < c->examples.size(); ++i) cases.push_back({c->name, i, c->examples[i].command});
  return cases;
}

// The words of each pipeline stage: quotes, braces and parentheses group,
// so does a comma (`a, @{...}` is one array); a `|` outside them ends a stage.
std::vector<std::vector<std::string>> stages(const std::string& command) {
  std::vector<std::vector<std::string>> out(1);
  std::string word;
  int depth = 0;
  char quote = 0;
  for (char c : command) {
    if (quote) {
      word += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    else if (c == '{' || c == '(') ++depth;
    else if ((c == '}' || c == ')') && depth > 0) --depth;
    if (depth == 0 && (c == ' ' || c == '\t') && !word.empty() && word.back() == ',') continue;
    if (depth == 0 && (c == ' ' || c == '\t' || c == '|')) {
      if (!word.empty()) out.back().push_back(word);
      word.clear();
      if (c == '|') out.emplace_back();
      continue;
    }
    word += c;
  }
  if (!word.empty()) out.back().push_back(word);
  return out;
}

bool is_parameter_word(const std::string& w) {
  return w.size() > 1 && w[0] == '-' && ((w[1] >= 'A' && w[1] <= 'Z') || (w[1] >= 'a' && w[1] <= 'z'));
}

// Name, alias or unique prefix, as the binder resolves it.
const ParamSpec* resolve(const CmdletSpec& spec, const std::string& name, std::string& why) {
  std::vector<const ParamSpec*> prefixed;
  for (const ParamSpec& p : spec.parameters) {
    if (iequals(p.name, name)) return &p;
    for (const std::string& a : p.aliases)
      if (iequals(a, name)) return &p;
    if (istarts_with(p.name, name)) prefixed.push_back(&p);
  }
  if (prefixed.size() == 1) return prefixed[0];
  why = prefixed.empty() ? "no parameter -" + name : "-" + name + " is ambiguous";
  return nullptr;
}

class DeclaredExample : public ::testing::TestWithParam<ExampleCase> {};

void check_stage(const CmdletSpec& spec, const std::vector<std::string>& words,
                 const std::string& command) {
  size_t positional_params = 0;
  for (const ParamSpec& p : spec.parameters) positional_params += p.position >= 0;
  size_t positional_values = 0;
  for (size_t i = 1; i < words.size(); ++i) {
    if (!is_parameter_word(words[i])) {
      ++positional_values;
      continue;
    }
    std::string name = words[i].substr(1);
    bool inline_value = false;
    if (auto colon = name.find(':'); colon != std::string::npos) {
      name.resize(colon);
      inline_value = true;
    }
    std::string why;
    const ParamSpec* p = resolve(spec, name, why);
    EXPECT_NE(p, nullptr) << "example '" << command << "': " << spec.name << " has " << why;
    if (p && p->type != ::mailflow::ParamType::Switch && !inline_value) {
      EXPECT_LT(i + 1, words.size()) << "example '" << command << "': -" << p->name
                                     << " needs a value";
      ++i;
    }
  }
  EXPECT_LE(positional_values, positional_params)
      << "example '" << command << "' gives " << positional_values << " positional values; "
      << spec.name << " takes " << positional_params;
}

TEST_P(DeclaredExample, RunsItsCmdletWithDeclaredParameters) {
  const ExampleCase& example = GetParam();
  const CmdletSpec* spec = builtin_registry().find(example.cmdlet);
  ASSERT_NE(spec, nullptr);
  size_t uses = 0;
  for (const std::vector<std::string>& words : stages(example.command)) {
    ASSERT_FALSE(words.empty()) << "example '" << example.command << "' has an empty stage";
    if (builtin_registry().find(words[0]) != spec) continue;
    ++uses;
    check_stage(*spec, words, example.command);
  }
  EXPECT_GE(uses, 1u) << "example '" << example.command << "' does not run " << spec->name;
}

TEST(DeclaredExamples, EveryBuiltinCmdletHasExamples) {
  for (const CmdletSpec* c : builtin_registry().all())
    EXPECT_FALSE(c->examples.empty()) << c->name << " declares no examples";
}

TEST(DeclaredExamples, SplitsStagesAndWords) {
  EXPECT_EQ(stages("Get-X -A 'a b' -B {x | y} (1, 2) | Format-Table|fl"),
            (std::vector<std::vector<std::string>>{
                {"Get-X", "-A", "'a b'", "-B", "{x | y}", "(1, 2)"}, {"Format-Table"}, {"fl"}}));
}

void PrintTo(const ExampleCase& c, std::ostream* os) { *os << c.cmdlet << ": " << c.command; }

std::string case_name(const ::testing::TestParamInfo<ExampleCase>& info) {
  std::string name;
  for (char c : info.param.cmdlet)
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) name += c;
  return name + "_" + std::to_string(info.param.index + 1);
}

INSTANTIATE_TEST_SUITE_P(Builtin, DeclaredExample, ::testing::ValuesIn(all_examples()), case_name);

}  // namespace
}  // namespace mailflow
