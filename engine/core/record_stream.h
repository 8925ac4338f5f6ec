// Records and the streams that carry them through a pipeline.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/value.h"

namespace mailflow {

// Pipelines pull values one at a time, so `... | Select-Object -First 5`
// stops reading its source early. A stream returns nullopt when exhausted.
class RecordStream {
 public:
  virtual ~RecordStream() = default;
  virtual std::optional<Value> next() = 0;
};

// A stream over values already in memory.
class VectorStream : public RecordStream {
 public:
  explicit VectorStream(std::vector<Value> values) : values_(std::move(values)) {}
  std::optional<Value> next() override {
    if (pos_ >= values_.size()) return std::nullopt;
    return std::move(values_[pos_++]);
  }

 private:
  std::vector<Value> values_;
  size_t pos_ = 0;
};

// Drains a stream into a vector.
std::vector<Value> collect(RecordStream& stream);

// Builds a record with the given property order; shared by cmdlets that emit
// small result sets.
Value make_record(const std::vector<std::string>& names, std::vector<Value> values);

}  // namespace mailflow
