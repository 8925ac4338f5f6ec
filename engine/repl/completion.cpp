#include "repl/completion.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <cctype>

#include "core/text.h"
#include "core/error.h"
#include "shell/binder.h"
#include "shell/lexer.h"

namespace mailflow {

namespace {

// A word of pipeline text as typed, up to the cursor.
struct Word {
  size_t start = 0;
  std::string text;  // raw, quotes included
};

// The pipeline text before the cursor, cut into stages and words by the
// shell's own lexer in its tolerant mode (shell/lexer.h tokenize_partial):
// tokens written together are one word (`-Name:value`, `a,b`), a
// parenthesised `(...)` is one word, `|` and `;` end a stage. `current` is
// the word the cursor is in (possibly empty).
struct PipelineScan {
  std::vector<std::vector<Word>> stages{1};
  Word current;
  bool in_block = false;  // cursor inside {...} or (...): a script block or subexpression
};

PipelineScan scan_pipeline(std::string_view text) {
  using K = Token::Kind;
  PipelineScan scan;
  std::vector<Token> tokens = tokenize_partial(text);
  int depth = 0;  // open parentheses
  bool in_word = false;
  Word word;
  size_t word_end = 0;
  auto end_word = [&] {
    if (in_word) scan.stages.back().push_back(word);
    in_word = false;
    word = Word{};
  };
  for (const Token& t : tokens) {
    if (t.kind == K::End) break;
    const size_t start = static_cast<size_t>(t.column - 1), end = static_cast<size_t>(t.end_column - 1);
    if (depth == 0 && (t.kind == K::Pipe || t.kind == K::Semicolon)) {
      end_word();
      scan.stages.emplace_back();
      continue;
    }
    if (in_word && depth == 0 && start != word_end) end_word();
    if (!in_word) {
      in_word = true;
      word.start = start;
    }
    word.text = std::string(text.substr(word.start, end - word.start));
    word_end = end;
    if (t.kind == K::LParen) ++depth;
    else if (t.kind == K::RParen && depth > 0) --depth;
    if (t.partial && (t.kind == K::ScriptBlock || t.kind == K::Hashtable)) scan.in_block = true;
  }
  if (depth > 0) scan.in_block = true;
  if (in_word && word_end == text.size()) {
    scan.current = word;  // the cursor is in it
  } else {
    end_word();
    scan.current.start = text.size();
  }
  return scan;
}

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s)
    if (c == ' ' || c == '\t' || c == '|' || c == ';' || c == ',' || c == '\'' || c == '"' ||
        c == '{' || c == '}' || c == '(' || c == ')' || c == '$' || c == '`' || c == '#')
      return true;
  return false;
}

// PowerShell single-quoted string: a quote inside is doubled.
std::string single_quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out;
}

void sort_unique(std::vector<CompletionCandidate>& list) {
  std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return icompare(a.display, b.display) < 0;
  });
  list.erase(std::unique(list.begin(), list.end(),
                         [](const auto& a, const auto& b) { return iequals(a.text, b.text); }),
             list.end());
}

// Cmdlet names and aliases starting with `prefix` (case-insensitive).
void add_cmdlets(const CompletionSources& src, std::string_view prefix,
                 std::vector<CompletionCandidate>& out) {
  if (!src.registry) return;
  for (const std::string& name : src.registry->names_and_aliases())
    if (istarts_with(name, prefix)) out.push_back({name, name, true});
}

// The parameter a `-word` names, resolved as the binder resolves it (name or
// alias, else a unique prefix); nullptr for an unknown or ambiguous one.
const ParamSpec* parameter_of_word(const CmdletSpec& cmdlet, std::string_view word) {
  if (word.size() < 2 || word[0] != '-') return nullptr;
  std::string_view name = word.substr(1);
  if (auto colon = name.find(':'); colon != std::string_view::npos) name = name.substr(0, colon);
  try {
    return &resolve_parameter(cmdlet, name);
  } catch (const Error&) {
    return nullptr;
  }
}

bool is_parameter_word(std::string_view w) {
  return w.size() >= 2 && w[0] == '-' && std::isalpha(static_cast<unsigned char>(w[1]));
}

// The value candidates a parameter declares, by its declared kind.
std::vector<std::string> value_names(const CompletionSources& src, const ParamSpec& p,
                                     const CmdletSpec* upstream) {
  if (!p.validate_set.empty()) return p.validate_set;
  switch (p.completion) {
    case Completion::TlsVersion:
      return {"None", "TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3", "Unknown"};
    case Completion::Connector:
      return src.connector_names ? src.connector_names() : std::vector<std::string>{};
    case Completion::Rule:
      return src.rule_names ? src.rule_names() : std::vector<std::string>{};
    case Completion::Cmdlet: {
      std::vector<std::string> names;
      if (src.registry)
        for (const CmdletSpec* c : src.registry->all()) names.push_back(c->name);
      return names;
    }
    case Completion::Property:
      return upstream ? upstream->outputs : std::vector<std::string>{};
    case Completion::Date:
      return src.today.empty() ? std::vector<std::string>{} : std::vector<std::string>{src.today};
    case Completion::Path:  // handled by the caller: paths depend on the prefix
    case Completion::None:
      break;
  }
  return {};
}

// Completes the value word `word` (starting at `start`) of parameter `p`.
CompletionResult complete_value(const CompletionSources& src, const ParamSpec& p,
                                const CmdletSpec* upstream, const Word& word) {
  CompletionResult result;
  // In a list (`-Path a.csv,b.csv`) only the last element is completed.
  size_t element = 0;
  char quote = 0;
  for (size_t i = 0; i < word.text.size(); ++i) {
    char c = word.text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ',') {
      element = i + 1;
    }
  }
  std::string_view prefix = std::string_view(word.text).substr(element);
  char open = 0;
  if (!prefix.empty() && (prefix[0] == '\'' || prefix[0] == '"')) {
    open = prefix[0];
    prefix.remove_prefix(1);
  }
  result.start = word.start + element;

  std::vector<std::string> names;
  bool paths = p.validate_set.empty() && p.completion == Completion::Path;
  if (paths) {
    if (src.paths) names = src.paths(prefix);
  } else {
    names = value_names(src, p, upstream);
  }
  for (const std::string& name : names) {
    bool match = paths ? name.compare(0, prefix.size(), prefix) == 0 : istarts_with(name, prefix);
    if (!match) continue;
    bool final = !(paths && !name.empty() && name.back() == '/');
    std::string text;
    if (open) {
      text = std::string(1, open) + name + (final ? std::string(1, open) : "");
    } else if (needs_quotes(name)) {
      text = single_quoted(name);
      if (final) text += '\'';
    } else {
      text = name;
    }
    result.candidates.push_back({text, name, final});
  }
  sort_unique(result.candidates);
  return result;
}

CompletionResult complete_pipeline(const CompletionSources& src, std::string_view text,
                                   bool with_lua_globals) {
  CompletionResult result;
  PipelineScan scan = scan_pipeline(text);
  result.start = scan.current.start;
  if (scan.in_block || !src.registry) return result;

  std::vector<Word> words = scan.stages.back();
  // `$name = <pipeline>`: the command starts after the assignment.
  if (scan.stages.size() == 1 && words.size() >= 2 && words[0].text.starts_with("$") &&
      words[1].text == "=")
    words.erase(words.begin(), words.begin() + 2);
  const Word& current = scan.current;

  if (words.empty()) {  // the command position of a stage
    if (current.text.starts_with("$")) return result;
    add_cmdlets(src, current.text, result.candidates);
    if (with_lua_globals && src.lua_globals)
      for (const std::string& g : src.lua_globals())
        if (g.compare(0, current.text.size(), current.text) == 0)
          result.candidates.push_back({g, g, true});
    sort_unique(result.candidates);
    return result;
  }

  const CmdletSpec* declared = src.registry->find(words[0].text);
  if (!declared) return result;
  // With its dynamic parameters (rule thresholds) when the session is known.
  std::shared_ptr<const CmdletSpec> view =
      src.session ? with_dynamic_parameters(*declared, *src.session)
                  : std::shared_ptr<const CmdletSpec>(std::shared_ptr<void>(), declared);
  const CmdletSpec* cmdlet = view.get();
  const CmdletSpec* upstream = nullptr;
  if (scan.stages.size() >= 2) {
    const auto& before = scan.stages[scan.stages.size() - 2];
    size_t first = 0;
    if (scan.stages.size() == 2 && before.size() >= 2 && before[0].text.starts_with("$") &&
        before[1].text == "=")
      first = 2;
    if (before.size() > first) upstream = src.registry->find(before[first].text);
  }

  if (current.text.starts_with("-")) {
    std::string_view name = std::string_view(current.text).substr(1);
    for (const ParamSpec& p : cmdlet->parameters)
      if (istarts_with(p.name, name)) result.candidates.push_back({"-" + p.name, "-" + p.name, true});
    sort_unique(result.candidates);
    return result;
  }

  // The value of the parameter named just before, else the next positional one.
  const ParamSpec* last = parameter_of_word(*cmdlet, words.back().text);
  if (last && last->type != ParamType::Switch && words.back().text.find(':') == std::string::npos)
    return complete_value(src, *last, upstream, current);
  int position = 0;
  std::vector<const ParamSpec*> named;
  for (size_t i = 1; i < words.size(); ++i) {
    if (is_parameter_word(words[i].text)) {
      const ParamSpec* p = parameter_of_word(*cmdlet, words[i].text);
      if (p) named.push_back(p);
      if (p && p->type != ParamType::Switch && words[i].text.find(':') == std::string::npos) ++i;
      continue;
    }
    ++position;
  }
  for (const ParamSpec& p : cmdlet->parameters) {
    if (std::find(named.begin(), named.end(), &p) != named.end()) continue;
    if (p.position == position) return complete_value(src, p, upstream, current);
  }
  return result;
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Lua text: inside a string, the string is pipeline text (`Invoke("Get-Tl`);
// otherwise the identifier before the cursor is completed from the globals.
CompletionResult complete_lua(const CompletionSources& src, std::string_view text) {
  CompletionResult result;
  char quote = 0;
  size_t string_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {  // comment to end of line
      result.start = text.size();
      return result;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      string_start = i + 1;
    }
  }
  if (quote) {
    CompletionResult inner = complete_pipeline(src, text.substr(string_start), false);
    inner.start += string_start;
    return inner;
  }
  size_t start = text.size();
  while (start > 0 && is_identifier_char(text[start - 1])) --start;
  result.start = start;
  if (start > 0 && (text[start - 1] == '.' || text[start - 1] == ':')) return result;
  if (start < text.size() && std::isdigit(static_cast<unsigned char>(text[start]))) return result;
  std::string_view prefix = text.substr(start);
  if (src.lua_globals)
    for (const std::string& g : src.lua_globals())
      if (g.compare(0, prefix.size(), prefix) == 0) result.candidates.push_back({g, g, true});
  sort_unique(result.candidates);
  return result;
}

// The first word of the line decides its mode (SPEC 7), as the shell's
// is_pipeline_line does: a cmdlet or alias, or a `$variable`, is a pipeline.
bool first_word_is_pipeline(const CompletionSources& src, std::string_view text) {
  size_t b = text.find_first_not_of(" \t");
  if (b == std::string_view::npos) return false;
  size_t e = text.find_first_of(" \t|;(){}=,", b);
  std::string_view first = text.substr(b, e == std::string_view::npos ? e : e - b);
  if (first.starts_with("$")) return true;
  return src.registry && src.registry->find(first) != nullptr;
}

}  // namespace

CompletionResult complete(const CompletionSources& sources, std::string_view line, size_t cursor) {
  std::string_view text = line.substr(0, std::min(cursor, line.size()));
  size_t b = text.find_first_not_of(" \t");
  bool in_first_word = b == std::string_view::npos ||
                       text.find_first_of(" \t|;", b) == std::string_view::npos;
  if (in_first_word) {
    // Still typing the first word: a cmdlet or a Lua global.
    bool identifier = std::all_of(text.begin() + (b == std::string_view::npos ? text.size() : b),
                                  text.end(), is_identifier_char);
    if (identifier || text.find_first_of("({=.:\"'", b) == std::string_view::npos)
      return complete_pipeline(sources, text, true);
  }
  if (first_word_is_pipeline(sources, text)) return complete_pipeline(sources, text, false);
  return complete_lua(sources, text);
}

CompletionEdit plan_completion_edit(const CompletionResult& result, std::string_view line,
                                    size_t cursor) {
  CompletionEdit edit;
  edit.start = result.start;
  edit.end = cursor;
  const auto& list = result.candidates;
  if (list.empty()) return edit;
  std::string_view typed = line.substr(result.start, cursor - result.start);
  if (list.size() == 1) {
    edit.text = list[0].text + (list[0].final ? " " : "");
    edit.changes = true;
    return edit;
  }
  // Longest common prefix, case-insensitive, spelt as the first candidate.
  size_t common = list[0].text.size();
  for (const auto& c : list) {
    size_t n = 0;
    while (n < common && n < c.text.size() && ascii_lower(c.text[n]) == ascii_lower(list[0].text[n]))
      ++n;
    common = n;
  }
  std::string prefix = list[0].text.substr(0, common);
  // Extend the word when the candidates agree on more; otherwise list them
  // (fixing the case of what was typed on the way: `get-m` -> `Get-M`).
  // A quote the candidates open (`'Fabrikam Partner ...`) is not typed text.
  auto unquoted = [](std::string_view s) {
    return !s.empty() && (s[0] == '\'' || s[0] == '"') ? s.substr(1) : s;
  };
  std::string_view bare_prefix = unquoted(prefix), bare_typed = unquoted(typed);
  if (istarts_with(bare_prefix, bare_typed) && prefix != typed) {
    edit.text = prefix;
    edit.changes = true;
  }
  edit.show_list = bare_prefix.size() <= bare_typed.size();
  return edit;
}

std::vector<std::string> list_paths(std::string_view prefix) {
  std::vector<std::string> out;
  size_t slash = prefix.rfind('/');
  std::string dir = slash == std::string_view::npos ? "" : std::string(prefix.substr(0, slash + 1));
  std::string base(slash == std::string_view::npos ? prefix : prefix.substr(slash + 1));
  std::string open = dir.empty() ? "." : dir;
  // Owned, so that an exception (bad_alloc in push_back) still closes it.
  std::unique_ptr<DIR, int (*)(DIR*)> dir_handle(opendir(open.c_str()), closedir);
  DIR* d = dir_handle.get();
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (name[0] == '.' && !base.starts_with(".")) continue;
    if (name.compare(0, base.size(), base) != 0) continue;
    std::string full = dir + name;
    struct stat st;
    if (stat((open + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) full += '/';
    out.push_back(full);
  }
  dir_handle.reset();
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace mailflow
