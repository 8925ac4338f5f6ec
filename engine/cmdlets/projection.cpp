#include "cmdlets/projection.h"

#include "core/text.h"
#include "host/parameters.h"

namespace mailflow {

bool Projection::matches_any(const std::vector<Wildcard>& patterns, const std::string& name) {
  for (const Wildcard& w : patterns)
    if (w.matches(name)) return true;
  return false;
}

Value Projection::apply(const Value& item) {
  const Schema* schema = item.is_record() ? &item.as_record().schema() : nullptr;
  if (!planned_ || schema != planned_for_) plan(schema);
  std::vector<Value> values;
  values.reserve(sources_.size());
  for (int index : sources_) {
    if (index <= kCalculated)
      values.push_back(include_[static_cast<size_t>(kCalculated - index)].calculated->expression.evaluate(item));
    else
      values.push_back(index < 0 ? Value() : item.as_record().value(static_cast<size_t>(index)));
  }
  return Value(Record(out_schema_, std::move(values)));
}

void Projection::plan(const Schema* schema) {
  planned_ = true;
  planned_for_ = schema;
  std::vector<std::string> names;
  sources_.clear();
  auto add = [&](const std::string& name, int index) {
    if (matches_any(exclude_, name)) return;
    for (const std::string& n : names)
      if (iequals(n, name)) return;
    names.push_back(name);
    sources_.push_back(index);
  };
  if (include_.empty()) {
    if (schema)
      for (size_t i = 0; i < schema->size(); ++i) add(schema->names()[i], static_cast<int>(i));
  }
  for (size_t k = 0; k < include_.size(); ++k) {
    if (include_[k].calculated) {
      add(include_[k].calculated->name, kCalculated - static_cast<int>(k));
      continue;
    }
    const std::string& wanted = include_[k].pattern;
    Wildcard pattern(wanted);
    if (pattern.is_literal()) {
      // A property the input lacks is still selected, as null (PowerShell).
      int index = schema ? schema->find(wanted) : -1;
      add(index >= 0 ? schema->names()[static_cast<size_t>(index)] : wanted, index);
      continue;
    }
    if (schema)
      for (size_t i = 0; i < schema->size(); ++i)
        if (pattern.matches(schema->names()[i])) add(schema->names()[i], static_cast<int>(i));
  }
  out_schema_ = std::make_shared<Schema>(std::move(names));
}

Param property_parameter(const std::string& help) {
  return Param::Strings("Property", help).position(0).completion(Completion::Property).calculated();
}

std::vector<Selector> property_selectors(Session& session, const BoundParameters& params, const char* parameter) {
  std::vector<Selector> out;
  const Value* property = params.find(parameter);
  if (property && property->is_array()) {
    VariableLookup variables = session_variables(session);
    for (const Value& item : property->as_array()) {
      if (is_calculated_property(item)) out.push_back({"", compile_calculated_property(item, variables)});
      else out.push_back({item.to_display(), std::nullopt});
    }
  } else {
    for (const std::string& name : params.strings(parameter)) out.push_back({name, std::nullopt});
  }
  return out;
}

bool has_calculated(const std::vector<Selector>& selectors) {
  for (const Selector& s : selectors)
    if (s.calculated) return true;
  return false;
}

std::unique_ptr<RecordStream> projected(std::unique_ptr<RecordStream> input, Projection projection) {
  class Stream : public RecordStream {
   public:
    Stream(std::unique_ptr<RecordStream> input, Projection projection)
        : input_(std::move(input)), projection_(std::move(projection)) {}
    std::optional<Value> next() override {
      auto v = input_->next();
      if (!v) return std::nullopt;
      return projection_.apply(*v);
    }

   private:
    std::unique_ptr<RecordStream> input_;
    Projection projection_;
  };
  return std::make_unique<Stream>(std::move(input), std::move(projection));
}

}  // namespace mailflow
