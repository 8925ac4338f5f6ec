#include "host/cmdlet.h"

#include <algorithm>

#include "core/error.h"

namespace mailflow {

std::optional<std::string> BoundParameters::string(std::string_view name) const {
  const Value* v = find(name);
  if (!v || v->is_null()) return std::nullopt;
  return v->is_string() ? v->as_string() : v->to_display();
}

std::optional<std::int64_t> BoundParameters::integer(std::string_view name) const {
  const Value* v = find(name);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_int()) return v->as_int();
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return std::nullopt;
}

std::optional<double> BoundParameters::number(std::string_view name) const {
  const Value* v = find(name);
  if (!v || !v->is_number()) return std::nullopt;
  return v->as_number();
}

std::optional<UnixSeconds> BoundParameters::instant(std::string_view name) const {
  const Value* v = find(name);
  if (!v) return std::nullopt;
  if (v->is_datetime()) return v->as_datetime().seconds;
  if (v->is_date()) return start_of_day(v->as_date().day);
  return std::nullopt;
}

bool BoundParameters::flag(std::string_view name) const {
  const Value* v = find(name);
  return v && v->truthy();
}

std::vector<std::string> BoundParameters::strings(std::string_view name) const {
  std::vector<std::string> out;
  const Value* v = find(name);
  if (!v || v->is_null()) return out;
  if (v->is_array()) {
    for (const Value& item : v->as_array()) out.push_back(item.to_display());
  } else {
    out.push_back(v->to_display());
  }
  return out;
}

const ParamSpec* CmdletSpec::parameter(std::string_view name) const {
  for (const ParamSpec& p : parameters)
    if (iequals(p.name, name)) return &p;
  return nullptr;
}

std::shared_ptr<const CmdletSpec> with_dynamic_parameters(const CmdletSpec& spec, const Session& session) {
  if (!spec.dynamic_parameters) return std::shared_ptr<const CmdletSpec>(std::shared_ptr<void>(), &spec);
  auto out = std::make_shared<CmdletSpec>(spec);
  for (ParamSpec& p : spec.dynamic_parameters(session))
    if (!out->parameter(p.name)) out->parameters.push_back(std::move(p));
  return out;
}

void Registry::add(CmdletSpec spec) {
  auto owned = std::make_unique<CmdletSpec>(std::move(spec));
  std::vector<std::string> keys = owned->aliases;
  keys.insert(keys.begin(), owned->name);
  for (const std::string& key : keys) {
    auto it = by_name_.find(key);
    if (it != by_name_.end())
      throw Error("DuplicateCmdlet", "cannot register '" + owned->name + "': '" + key +
                                         "' is already taken by " + it->second->name + " (" +
                                         it->second->source + ")");
  }
  for (const std::string& key : keys) by_name_[key] = owned.get();
  cmdlets_.push_back(std::move(owned));
}

const CmdletSpec* Registry::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}


std::vector<const CmdletSpec*> Registry::all() const {
  std::vector<const CmdletSpec*> out;
  for (const auto& c : cmdlets_) out.push_back(c.get());
  std::sort(out.begin(), out.end(),
            [](const CmdletSpec* a, const CmdletSpec* b) { return icompare(a->name, b->name) < 0; });
  return out;
}

std::vector<std::string> Registry::names_and_aliases() const {
  std::vector<std::string> out;
  for (const auto& [key, spec] : by_name_) out.push_back(key);
  return out;
}

}  // namespace mailflow
