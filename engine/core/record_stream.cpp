#include "core/record_stream.h"

namespace mailflow {

std::vector<Value> collect(RecordStream& stream) {
  std::vector<Value> out;
  while (auto v = stream.next()) out.push_back(std::move(*v));
  return out;
}

Value make_record(const std::vector<std::string>& names, std::vector<Value> values) {
  return Value(Record(std::make_shared<Schema>(names), std::move(values)));
}

}  // namespace mailflow
