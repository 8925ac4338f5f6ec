// Group-Object (alias group): one record per distinct value of the given
// properties, `Count, Name, Group` as PowerShell shows GroupInfo. Keys compare
// case-insensitively; groups come out sorted by their key values.
#include <algorithm>
#include <map>
#include <memory>

#include "host/cmdlet.h"
#include "cmdlets/property_reader.h"
#include "core/text.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

struct Group {
  std::vector<Value> keys;  // the first member's values
  Array members;
  std::int64_t count = 0;
};

std::vector<Value> grouped(RecordStream& input, const std::vector<std::string>& properties,
                           bool no_element) {
  std::vector<PropertyReader> readers;
  for (const std::string& p : properties) readers.emplace_back(p);
  std::vector<Group> groups;
  std::map<std::string, size_t> index;  // folded key text -> group
  while (auto v = input.next()) {
    std::vector<Value> keys;
    if (readers.empty()) keys.push_back(*v);
    for (const PropertyReader& r : readers) {
      const Value* key = r.read(*v);
      keys.push_back(key ? *key : Value());
    }
    std::string folded;
    for (const Value& k : keys) {
      folded += to_lower(k.to_display());
      folded += '\x1f';
    }
    auto [it, inserted] = index.emplace(folded, groups.size());
    if (inserted) groups.push_back(Group{keys, {}, 0});
    Group& g = groups[it->second];
    ++g.count;
    if (!no_element) g.members.push_back(std::move(*v));
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    for (size_t i = 0; i < a.keys.size(); ++i)
      if (int c = compare_values(a.keys[i], b.keys[i])) return c < 0;
    return false;
  });
  std::vector<std::string> columns = {"Count", "Name"};
  if (!no_element) columns.push_back("Group");
  auto schema = std::make_shared<const Schema>(columns);
  std::vector<Value> out;
  for (Group& g : groups) {
    std::vector<std::string> names;
    for (const Value& k : g.keys) names.push_back(k.to_display());
    std::vector<Value> values = {Value(g.count), Value(join(names, ", "))};
    if (!no_element) values.emplace_back(std::move(g.members));
    out.emplace_back(Record(schema, std::move(values)));
  }
  return out;
}

}  // namespace

CmdletSpec group_object_cmdlet() {
  CmdletSpec c;
  c.name = "Group-Object";
  c.aliases = {"group"};
  c.synopsis = "Groups records that have the same property values.";
  c.description =
      "Emits one record per distinct value of -Property: Count (members), Name (the values, "
      "joined with \", \" for several properties; empty for a missing value) and Group (the "
      "members; left out with -NoElement). Values compare case-insensitively; groups are "
      "sorted by their values.";
  c.parameters = declare_parameters({
      Param::Strings("Property", "Properties to group by.").position(0).completion(Completion::Property),
      Param::Switch("NoElement", "Leave the members (Group) out."),
  });
  c.outputs = {"Count", "Name", "Group"};
  c.examples = {
      {"Get-MessageTrace -Days 30 | Group-Object Connector -NoElement",
       "Messages per connector over thirty days."},
  };
  c.run = [](Session&, const BoundParameters& params, std::unique_ptr<RecordStream> input)
      -> std::unique_ptr<RecordStream> {
    return std::make_unique<VectorStream>(
        grouped(*input, params.strings("Property"), params.flag("NoElement")));
  };
  return c;
}

}  // namespace mailflow
