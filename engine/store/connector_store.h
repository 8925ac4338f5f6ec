// Connector definitions kept in the store (table `connectors`). Multi-valued
// criteria are stored as comma-separated canonical text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/connector.h"
#include "store/trace_store.h"

namespace mailflow {

class ConnectorStore {
 public:
  explicit ConnectorStore(TraceStore& store) : store_(store) {}

  // Sorted by name; only one direction when given.
  std::vector<Connector> list(std::optional<Direction> direction = std::nullopt);
  // By name (case-insensitive) within `direction`.
  std::optional<Connector> find(std::string_view name, Direction direction);
  // Throws Error("DuplicateConnector") when the name is taken (by a
  // connector of either direction: names are one namespace, as in the store).
  void insert(const Connector& c);
  // Replaces the stored definition of c.name; throws Error("ConnectorNotFound").
  void update(const Connector& c);
  // Throws Error("ConnectorNotFound").
  void remove(std::string_view name, Direction direction);

 private:
  TraceStore& store_;
};

}  // namespace mailflow
