// Sort-Object (alias sort): orders records by one or more properties.
// Strings compare case-insensitively, numbers numerically, dates in time
// order, nulls first (compare_values); the sort is stable, so records with
// equal keys keep their input order.
#include <algorithm>
#include <memory>

#include "host/cmdlet.h"
#include "cmdlets/projection.h"
#include "cmdlets/property_reader.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

struct Keyed {
  std::vector<Value> keys;
  Value item;
};

int compare_keys(const std::vector<Value>& a, const std::vector<Value>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (int c = compare_values(a[i], b[i])) return c;
  return 0;
}

// One sort key: a property, or a calculated property's expression.
struct Key {
  std::optional<PropertyReader> property;
  std::optional<Expression> expression;
  Value of(const Value& item) const {
    if (expression) return expression->evaluate(item);
    const Value* v = property->read(item);
    return v ? *v : Value();
  }
};

std::vector<Value> sorted(RecordStream& input, const std::vector<Selector>& properties, bool descending,
                          bool unique) {
  std::vector<Key> keys;
  for (const Selector& s : properties) {
    if (s.calculated) keys.push_back({std::nullopt, s.calculated->expression});
    else keys.push_back({PropertyReader(s.pattern), std::nullopt});
  }
  std::vector<Keyed> rows;
  while (auto v = input.next()) {
    Keyed row;
    if (keys.empty()) {
      row.keys.push_back(*v);  // no property: sort the values themselves
    } else {
      for (const Key& k : keys) row.keys.push_back(k.of(*v));
    }
    row.item = std::move(*v);
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [descending](const Keyed& a, const Keyed& b) {
    int c = compare_keys(a.keys, b.keys);
    return descending ? c > 0 : c < 0;
  });
  std::vector<Value> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (unique && i > 0 && compare_keys(rows[i - 1].keys, rows[i].keys) == 0) continue;
    out.push_back(std::move(rows[i].item));
  }
  return out;
}

}  // namespace

CmdletSpec sort_object_cmdlet() {
  CmdletSpec c;
  c.name = "Sort-Object";
  c.aliases = {"sort"};
  c.synopsis = "Sorts records by property values.";
  c.description =
      "Sorts by each -Property in turn (ascending, or all descending with -Descending). "
      "Strings compare case-insensitively, numbers numerically, dates in time order; empty "
      "values sort first. Records with equal keys keep their input order. -Unique keeps one "
      "record per distinct key.";
  c.parameters = declare_parameters({
      property_parameter(
          "Properties to sort by, most significant first, or calculated keys @{Expression={ $_.Messages * 2 }}."),
      Param::Switch("Descending", "Sort from the largest to the smallest."),
      Param::Switch("Unique", "Keep one record per distinct key (case-insensitive)."),
  });
  c.outputs = {"(the input records, sorted)"};
  c.examples = {
      {"Get-TlsUsage -ByConnector | Sort-Object Percent -Descending",
       "Connectors and versions by share, largest first."},
      {"Get-ConnectorReport | Sort-Object Direction,Connector", "The report ordered by direction, then connector."},
  };
  c.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream> input)
      -> std::unique_ptr<RecordStream> {
    return std::make_unique<VectorStream>(sorted(*input, property_selectors(session, params),
                                                 params.flag("Descending"), params.flag("Unique")));
  };
  return c;
}

}  // namespace mailflow
