// Reads one named property from pipeline records, resolving its index once
// per Schema (records of one source share it), for the utility cmdlets that
// touch every record: Select-Object, Sort-Object, Group-Object, Measure-Object.
#pragma once

#include <string>

#include "core/value.h"

namespace mailflow {

class PropertyReader {
 public:
  explicit PropertyReader(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  // The property's value, or nullptr when the item has no such property
  // (a scalar has none).
  const Value* read(const Value& item) const {
    if (!item.is_record()) return nullptr;
    const Record& r = item.as_record();
    if (r.schema_ptr().get() != schema_) {
      schema_ = r.schema_ptr().get();
      index_ = schema_->find(name_);
    }
    return index_ < 0 ? nullptr : &r.value(static_cast<size_t>(index_));
  }

 private:
  std::string name_;
  mutable const Schema* schema_ = nullptr;
  mutable int index_ = -1;
};

}  // namespace mailflow
