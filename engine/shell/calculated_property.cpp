#include "shell/calculated_property.h"

#include <algorithm>
#include <memory>

#include "core/error.h"
#include "core/text.h"
#include "shell/lexer.h"

namespace mailflow {

namespace {

// The record's fields: the name (null: named after the expression's text),
// the expression's text, whether it is a script block (else a property
// name), and the column offset of the script block for errors.
const std::shared_ptr<const Schema>& schema() {
  static const auto s = std::make_shared<const Schema>(
      std::vector<std::string>{"Name", "Expression", "IsScriptBlock", "ColumnOffset"});
  return s;
}

using K = Token::Kind;

[[noreturn]] void fail(int column, const std::string& message) {
  throw Error("ParseError", message).at_column(column);
}

// Which key `key` abbreviates: "Name" (also Label), "Expression", or "".
std::string key_of(const std::string& key) {
  auto prefix_of = [&](std::string_view full) {
    return !key.empty() && key.size() <= full.size() && iequals(full.substr(0, key.size()), key);
  };
  if (prefix_of("Name") || prefix_of("Label")) return "Name";
  if (prefix_of("Expression")) return "Expression";
  return "";
}

}  // namespace

Value calculated_property_value(std::string_view body, int column_offset) {
  std::vector<Token> tokens = tokenize(body, LexMode::Hashtable, column_offset);
  auto t = [&](size_t k) -> const Token& { return tokens[std::min(k, tokens.size() - 1)]; };
  std::optional<Value> name;
  std::optional<Token> expression;
  size_t i = 0;
  while (t(i).kind != K::End) {
    if (t(i).kind == K::Semicolon) {
      ++i;
      continue;
    }
    const Token& key = t(i);
    if (key.kind != K::Word && key.kind != K::String)
      fail(key.column, "Missing key before '" + describe_token(key) + "' in the hash literal.");
    if (t(i + 1).kind != K::Assign)
      fail(t(i + 1).column, "Missing '=' operator after key '" + key.text + "' in the hash literal.");
    const Token& value = t(i + 2);
    if (value.kind != K::String && value.kind != K::Word && value.kind != K::ScriptBlock)
      fail(value.column, "Missing statement after '=' in the hash literal.");
    std::string which = key_of(key.text);
    if (which.empty())
      fail(key.column, "The '" + key.text + "' key is not valid for a calculated property: give Name "
                       "(or Label) and Expression, as @{Name='KB'; Expression={ $_.Size / 1KB }}.");
    if ((which == "Name" && name) || (which == "Expression" && expression))
      fail(key.column, "Duplicate key '" + which + "' in the hash literal.");
    if (which == "Name") {
      if (value.kind == K::ScriptBlock) fail(value.column, "The Name of a calculated property is text, not a script block.");
      name = Value(value.text);
    } else {
      expression = value;
    }
    i += 3;
    // Entries are separated by ';' or a line break (a script may span lines).
    if (t(i).kind != K::Semicolon && t(i).kind != K::End) {
      size_t from = static_cast<size_t>(value.column - column_offset - 1);
      size_t to = static_cast<size_t>(t(i).column - column_offset - 1);
      if (body.substr(from, to - from).find('\n') == std::string_view::npos)
        fail(t(i).column, "Missing ';' or newline between the entries of the hash literal.");
    }
  }
  if (!expression)
    fail(column_offset, "A calculated property needs an Expression: @{Name='KB'; Expression={ $_.Size / 1KB }}.");
  bool block = expression->kind == K::ScriptBlock;
  return Value(Record(schema(), {name.value_or(Value()), Value(expression->text), Value(block),
                                 Value(static_cast<std::int64_t>(block ? expression->inner_column - 1 : 0))}));
}

bool is_calculated_property(const Value& v) {
  return v.is_record() && v.as_record().schema_ptr() == schema();
}

CalculatedProperty compile_calculated_property(const Value& v, const VariableLookup& variables) {
  const Record& r = v.as_record();
  const std::string& text = r.value(1).as_string();
  CalculatedProperty out;
  if (r.value(2).truthy()) {
    out.expression = compile_expression(text, static_cast<int>(r.value(3).as_int()), variables);
    out.name = r.value(0).is_null() ? std::string(trim(text)) : r.value(0).to_display();
  } else {
    out.expression = property_expression(text);
    out.name = r.value(0).is_null() ? text : r.value(0).to_display();
  }
  return out;
}

}  // namespace mailflow
