#include "shell/binder.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "shell/calculated_property.h"
#include "shell/shell.h"

namespace mailflow {

namespace {

[[noreturn]] void binding_error(const std::string& message, int column = 0) {
  throw Error("ParameterBindingFailed", message).at_column(column);
}

// Case-insensitive edit distance, for "Did you mean -Connector?".
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string quoted_display(const Value& v) { return "\"" + v.to_display() + "\""; }

[[noreturn]] void cannot_convert(const ParamSpec& p, const Value& v) {
  binding_error("Cannot process argument transformation on parameter '" + p.name +
                "'. Cannot convert value " + quoted_display(v) + " to type \"" +
                param_type_name(p.type) + "\".");
}

std::string validate_against_set(const ParamSpec& p, const std::string& s) {
  for (const std::string& allowed : p.validate_set)
    if (iequals(allowed, s)) return allowed;
  binding_error("Cannot validate argument on parameter '" + p.name + "'. The argument \"" + s +
                "\" does not belong to the set \"" + join(p.validate_set, ",") +
                "\" specified by the ValidateSet attribute. Supply an argument that is in the "
                "set and then try the command again.");
}

std::string format_bound(double d) { return Value(d).to_display(); }

void validate_range(const ParamSpec& p, double d, const Value& shown) {
  if (p.min && d < *p.min)
    binding_error("Cannot validate argument on parameter '" + p.name + "'. The " +
                  shown.to_display() + " argument is less than the minimum allowed range of " +
                  format_bound(*p.min) + ". Supply an argument that is greater than or equal to " +
                  format_bound(*p.min) + " and then try the command again.");
  if (p.max && d > *p.max)
    binding_error("Cannot validate argument on parameter '" + p.name + "'. The " +
                  shown.to_display() + " argument is greater than the maximum allowed range of " +
                  format_bound(*p.max) + ". Supply an argument that is less than or equal to " +
                  format_bound(*p.max) + " and then try the command again.");
}

// A single value for a scalar parameter: a one-element array is its element.
const Value& scalar_of(const ParamSpec& p, const Value& v) {
  if (v.is_array()) {
    if (v.as_array().size() == 1) return v.as_array()[0];
    cannot_convert(p, Value(join([&] {
      std::vector<std::string> parts;
      for (const Value& item : v.as_array()) parts.push_back(item.to_display());
      return parts;
    }(), ",")));
  }
  if (v.is_record()) cannot_convert(p, v);
  return v;
}

std::string string_for(const ParamSpec& p, const Value& v) {
  std::string s = v.to_display();
  // The system cuts a path at a NUL ("a.csv`0x" would open a.csv): refused
  // here for every path parameter, whichever front end bound it.
  if (p.completion == Completion::Path && s.find('\0') != std::string::npos)
    binding_error("Cannot validate argument on parameter '" + p.name + "'. The path \"" + s +
                  "\" holds a NUL character, which no file name can hold.");
  if (!p.validate_set.empty()) return validate_against_set(p, s);
  return s;
}

bool is_constant(const std::string& name, Value& out) {
  if (iequals(name, "true")) { out = Value(true); return true; }
  if (iequals(name, "false")) { out = Value(false); return true; }
  if (iequals(name, "null")) { out = Value(); return true; }
  return false;
}

// The raw value of an argument before conversion to the parameter's type. A
// bare word stays text for textual parameters (so `-Connector 007` keeps its
// zeros) and becomes a number elsewhere when it reads as one.
Value raw_value(const ArgValue& a, bool numeric, const VariableLookup& variables) {
  switch (a.kind) {
    case ArgValue::Kind::Hashtable: return calculated_property_value(a.text, a.inner_column - 1);
    case ArgValue::Kind::Bare:
      if (numeric)
        if (auto n = parse_number(a.text)) return *n;
      return Value(a.text);
    case ArgValue::Kind::Quoted:
    case ArgValue::Kind::ScriptBlock: return Value(a.text);
    case ArgValue::Kind::Variable: {
      Value c;
      if (is_constant(a.text, c)) return c;
      std::optional<Value> v = variables ? variables(a.text) : std::nullopt;
      if (!v)
        throw Error("VariableNotSet", "The variable '$" + a.text +
                                          "' cannot be retrieved because it has not been set.")
            .at_column(a.column);
      return *v;
    }
    case ArgValue::Kind::Array: {
      Array items;
      for (const ArgValue& item : a.items) items.push_back(raw_value(item, numeric, variables));
      return Value(std::move(items));
    }
  }
  return Value();
}

bool numeric_type(ParamType t) {
  return t == ParamType::Int || t == ParamType::Double || t == ParamType::Any ||
         t == ParamType::Switch;
}

std::string display_arg(const ArgValue& a) {
  if (a.kind == ArgValue::Kind::Array) {
    std::vector<std::string> parts;
    for (const ArgValue& item : a.items) parts.push_back(display_arg(item));
    return join(parts, ",");
  }
  if (a.kind == ArgValue::Kind::Variable) return "$" + a.text;
  if (a.kind == ArgValue::Kind::ScriptBlock) return "{" + a.text + "}";
  if (a.kind == ArgValue::Kind::Hashtable) return "@{" + a.text + "}";
  return a.text;
}

// Converts an argument written in pipeline text for `p`, with the column of
// the value on failure. Script blocks are only for ScriptBlock (or Any)
// parameters, and a ScriptBlock parameter takes only a script block.
// The first hashtable in `a` (itself or an item of its array), or null.
const ArgValue* hashtable_in(const ArgValue& a) {
  if (a.kind == ArgValue::Kind::Hashtable) return &a;
  for (const ArgValue& item : a.items)
    if (item.kind == ArgValue::Kind::Hashtable) return &item;
  return nullptr;
}

Value convert_arg(const ParamSpec& p, const ArgValue& a, const VariableLookup& variables) {
  bool is_block = a.kind == ArgValue::Kind::ScriptBlock;
  try {
    if (const ArgValue* h = hashtable_in(a); h && !p.calculated)
      binding_error("Cannot bind parameter '" + p.name + "'. Cannot convert the \"@{" + h->text +
                        "}\" value of type \"Hashtable\" to type \"" + param_type_name(p.type) + "\".",
                    h->column);
    if (p.type == ParamType::ScriptBlock && !is_block)
      binding_error("Cannot bind parameter '" + p.name + "'. Cannot convert the \"" +
                    display_arg(a) + "\" value of type \"String\" to type \"ScriptBlock\".");
    if (is_block && p.type != ParamType::ScriptBlock && p.type != ParamType::Any)
      binding_error("Cannot bind parameter '" + p.name + "'. Cannot convert the \"{" + a.text +
                    "}\" value of type \"ScriptBlock\" to type \"" + param_type_name(p.type) +
                    "\".");
    return convert_argument(p, raw_value(a, numeric_type(p.type), variables));
  } catch (Error& e) {
    if (e.column() == 0) e.at_column(a.column);
    throw;
  }
}

void check_mandatory(const CmdletSpec& cmdlet, const BoundParameters& bound, bool has_input,
                     int column) {
  std::vector<std::string> missing;
  for (const ParamSpec& p : cmdlet.parameters) {
    if (!p.mandatory || bound.has(p.name)) continue;
    if (p.pipeline_input && has_input) continue;
    missing.push_back(p.name);
  }
  if (!missing.empty())
    binding_error("Cannot process command because of one or more missing mandatory parameters: " +
                      join(missing, " ") + ".",
                  column);
}

void fill_defaults(const CmdletSpec& cmdlet, BoundParameters& bound) {
  for (const ParamSpec& p : cmdlet.parameters)
    if (!bound.has(p.name) && p.default_value) bound.set(p.name, *p.default_value);
}

void bind_once(BoundParameters& bound, const ParamSpec& p, Value v, int column) {
  if (bound.has(p.name))
    binding_error("Cannot bind parameter because parameter '" + p.name +
                      "' is specified more than once. To provide multiple values to parameters "
                      "that can accept multiple values, use the array syntax. For example, "
                      "\"-parameter value1,value2,value3\".",
                  column);
  bound.set(p.name, std::move(v));
}

}  // namespace

std::string param_type_name(ParamType type) {
  switch (type) {
    case ParamType::String: return "String";
    case ParamType::Int: return "Int";
    case ParamType::Double: return "Double";
    case ParamType::Date: return "DateTime";
    case ParamType::Switch: return "Switch";
    case ParamType::StringArray: return "String[]";
    case ParamType::Enum: return "String";
    case ParamType::ScriptBlock: return "ScriptBlock";
    case ParamType::Any: return "Object";
  }
  return "Object";
}

std::optional<Value> parse_number(std::string_view text) {
  std::string s(trim(text));
  if (s.empty()) return std::nullopt;
  std::int64_t scale = 1;
  static const std::pair<const char*, std::int64_t> suffixes[] = {
      {"kb", std::int64_t{1} << 10}, {"mb", std::int64_t{1} << 20}, {"gb", std::int64_t{1} << 30},
      {"tb", std::int64_t{1} << 40}};
  for (const auto& [suffix, factor] : suffixes) {
    if (s.size() > 2 && iequals(std::string_view(s).substr(s.size() - 2), suffix)) {
      scale = factor;
      s.resize(s.size() - 2);
      break;
    }
  }
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  bool looks_integral = hex || s.find_first_of(".eE") == std::string::npos;
  if (looks_integral) {
    long long n = std::strtoll(begin, &end, hex ? 16 : 10);
    if (end && *end == '\0' && errno == 0 && end != begin) {
      // 10000000TB does not fit in 64 bits: it becomes a double, as in
      // PowerShell, which an Int parameter then refuses by name.
      std::int64_t scaled = 0;
      if (!__builtin_mul_overflow(static_cast<std::int64_t>(n), scale, &scaled)) return Value(scaled);
      return Value(static_cast<double>(n) * static_cast<double>(scale));
    }
    if (hex) return std::nullopt;
  }
  // Reject what strtod accepts but PowerShell does not (inf, nan, hex floats).
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return std::nullopt;
  errno = 0;
  double d = std::strtod(begin, &end);
  if (!end || *end != '\0' || end == begin || errno != 0) return std::nullopt;
  d *= static_cast<double>(scale);
  if (scale != 1 && d == std::floor(d) && std::fabs(d) < 9e15)
    return Value(static_cast<std::int64_t>(d));
  return Value(d);
}

const ParamSpec& resolve_parameter(const CmdletSpec& cmdlet, std::string_view name) {
  for (const ParamSpec& p : cmdlet.parameters) {
    if (iequals(p.name, name)) return p;
    for (const std::string& alias : p.aliases)
      if (iequals(alias, name)) return p;
  }
  std::vector<const ParamSpec*> matches;
  for (const ParamSpec& p : cmdlet.parameters) {
    bool hit = istarts_with(p.name, name);
    for (const std::string& alias : p.aliases) hit = hit || istarts_with(alias, name);
    if (hit) matches.push_back(&p);
  }
  if (matches.size() == 1 && !name.empty()) return *matches.front();
  if (matches.size() > 1) {
    std::string list;
    for (const ParamSpec* p : matches) list += " -" + p->name;
    binding_error("Parameter cannot be processed because the parameter name '" + std::string(name) +
                  "' is ambiguous. Possible matches include:" + list + ".");
  }
  std::string message = "A parameter cannot be found that matches parameter name '" +
                        std::string(name) + "'.";
  const ParamSpec* best = nullptr;
  size_t best_distance = 0;
  for (const ParamSpec& p : cmdlet.parameters) {
    size_t d = edit_distance(name, p.name);
    if (!best || d < best_distance) {
      best = &p;
      best_distance = d;
    }
  }
  if (best && best_distance <= std::max<size_t>(2, name.size() / 3))
    message += " Did you mean -" + best->name + "?";
  binding_error(message);
}

Value convert_argument(const ParamSpec& p, const Value& value) {
  switch (p.type) {
    case ParamType::Any:
      if (!p.validate_set.empty() && value.is_string()) return Value(string_for(p, value));
      return value;
    case ParamType::String:
    case ParamType::Enum:
    case ParamType::ScriptBlock: {
      const Value& v = scalar_of(p, value);
      if (v.is_null()) {
        if (p.type == ParamType::String && p.validate_set.empty()) return Value();
        binding_error("Cannot bind argument to parameter '" + p.name + "' because it is null.");
      }
      return Value(string_for(p, v));
    }
    case ParamType::StringArray: {
      Array out;
      auto add = [&](const Value& item) {
        if (p.calculated && is_calculated_property(item)) {
          out.push_back(item);
          return;
        }
        if (item.is_record() || item.is_array()) cannot_convert(p, item);
        out.emplace_back(string_for(p, item));
      };
      if (value.is_null())
        binding_error("Cannot bind argument to parameter '" + p.name + "' because it is null.");
      if (value.is_array())
        for (const Value& item : value.as_array()) add(item);
      else
        add(value);
      return Value(std::move(out));
    }
    case ParamType::Int: {
      const Value& v = scalar_of(p, value);
      std::optional<std::int64_t> n;
      if (v.is_int()) n = v.as_int();
      else if (v.is_double() && std::isfinite(v.as_double()) && std::fabs(v.as_double()) < 9e18)
        n = static_cast<std::int64_t>(std::nearbyint(v.as_double()));  // banker's rounding, as .NET
      else if (v.is_string())
        if (auto parsed = parse_number(v.as_string()); parsed && parsed->is_int()) n = parsed->as_int();
      if (v.is_null())
        binding_error("Cannot bind argument to parameter '" + p.name + "' because it is null.");
      if (!n) cannot_convert(p, v);
      validate_range(p, static_cast<double>(*n), Value(*n));
      return Value(*n);
    }
    case ParamType::Double: {
      const Value& v = scalar_of(p, value);
      std::optional<double> d;
      if (v.is_number()) d = v.as_number();
      else if (v.is_string())
        if (auto parsed = parse_number(v.as_string())) d = parsed->as_number();
      if (v.is_null())
        binding_error("Cannot bind argument to parameter '" + p.name + "' because it is null.");
      if (!d) cannot_convert(p, v);
      validate_range(p, *d, Value(*d));
      return Value(*d);
    }
    case ParamType::Date: {
      const Value& v = scalar_of(p, value);
      if (v.is_datetime()) return v;
      if (v.is_date()) return Value(DateTime{start_of_day(v.as_date().day)});
      if (v.is_string())
        if (auto t = parse_instant(trim(v.as_string()))) return Value(DateTime{*t});
      if (v.is_null())
        binding_error("Cannot bind argument to parameter '" + p.name + "' because it is null.");
      cannot_convert(p, v);
    }
    case ParamType::Switch: {
      const Value& v = scalar_of(p, value);
      if (v.is_bool()) return v;
      if (v.is_int() && (v.as_int() == 0 || v.as_int() == 1)) return Value(v.as_int() == 1);
      if (v.is_string()) {
        if (iequals(v.as_string(), "true") || iequals(v.as_string(), "$true")) return Value(true);
        if (iequals(v.as_string(), "false") || iequals(v.as_string(), "$false")) return Value(false);
      }
      if (v.is_null()) return Value(false);
      cannot_convert(p, v);
    }
  }
  return value;
}

Binding bind_arguments(const CmdletSpec& cmdlet, const std::vector<Argument>& args,
                       bool has_pipeline_input, const VariableLookup& variables) {
  Binding out;
  std::vector<const Argument*> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const Argument& a = args[i];
    if (!a.is_name) {
      positional.push_back(&a);
      continue;
    }
    const ParamSpec* p;
    try {
      p = &resolve_parameter(cmdlet, a.name);
    } catch (Error& e) {
      e.at_column(a.column);
      throw;
    }
    if (p->type == ParamType::Switch && !a.colon) {
      bind_once(out.params, *p, Value(true), a.column);
      continue;
    }
    const ArgValue* source;
    if (a.colon) {
      source = &a.value;
    } else {
      if (i + 1 >= args.size() || args[i + 1].is_name)
        binding_error("Missing an argument for parameter '" + p->name +
                          "'. Specify a parameter of type '" + param_type_name(p->type) +
                          "' and try again.",
                      a.column);
      source = &args[++i].value;
    }
    bind_once(out.params, *p, convert_arg(*p, *source, variables), a.column);
    out.sources[p->name] = source;
  }

  // Positional values fill the positional parameters not bound by name, in
  // order of position. Two parameters may share a position when they are
  // alternatives (Where-Object's FilterScript and Property): the value's kind
  // picks between them.
  std::vector<const ParamSpec*> slots;
  for (const ParamSpec& p : cmdlet.parameters)
    if (p.position >= 0) slots.push_back(&p);
  std::stable_sort(slots.begin(), slots.end(),
                   [](const ParamSpec* a, const ParamSpec* b) { return a->position < b->position; });
  std::set<int> used_positions;
  for (const ParamSpec* p : slots)
    if (out.params.has(p->name)) used_positions.insert(p->position);
  for (const Argument* a : positional) {
    const ParamSpec* chosen = nullptr;
    int position = -1;
    for (const ParamSpec* p : slots) {
      if (used_positions.count(p->position) || out.params.has(p->name)) continue;
      if (position >= 0 && p->position != position) break;
      position = p->position;
      bool block = a->value.kind == ArgValue::Kind::ScriptBlock;
      bool fits = block ? (p->type == ParamType::ScriptBlock || p->type == ParamType::Any)
                        : p->type != ParamType::ScriptBlock;
      if (fits) {
        chosen = p;
        break;
      }
      if (!chosen) chosen = p;  // no alternative fits: let conversion explain
    }
    if (!chosen)
      binding_error("A positional parameter cannot be found that accepts argument '" +
                        display_arg(a->value) + "'.",
                    a->column);
    bind_once(out.params, *chosen, convert_arg(*chosen, a->value, variables), a->column);
    out.sources[chosen->name] = &a->value;
    used_positions.insert(chosen->position);
  }

  for (const auto& [name, source] : out.sources)
    if (source->kind == ArgValue::Kind::ScriptBlock) out.params.set_script_offset(name, source->inner_column - 1);
  check_mandatory(cmdlet, out.params, has_pipeline_input, 0);
  fill_defaults(cmdlet, out.params);
  return out;
}

BoundParameters bind_named(const CmdletSpec& cmdlet, const std::vector<NamedArgument>& args) {
  BoundParameters bound;
  for (const NamedArgument& a : args) {
    const ParamSpec& p = resolve_parameter(cmdlet, a.name);
    bind_once(bound, p, convert_argument(p, a.value), 0);
  }
  check_mandatory(cmdlet, bound, false, 0);
  fill_defaults(cmdlet, bound);
  return bound;
}

}  // namespace mailflow
