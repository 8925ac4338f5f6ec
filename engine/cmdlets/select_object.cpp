// Select-Object (alias select): picks properties, or the first, last or
// unique records. -First stops pulling from its input as soon as it has its
// records, so `Get-MessageTrace | Select-Object -First 5` reads five rows.
#include <deque>
#include <memory>
#include <unordered_set>

#include "host/cmdlet.h"
#include "cmdlets/projection.h"
#include "cmdlets/property_reader.h"
#include "core/error.h"
#include "core/text.h"
#include "shell/comparison.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

// Identity of a record for -Unique: every property's text, compared exactly
// (Select-Object -Unique is case-sensitive in PowerShell).
std::string unique_key(const Value& v) {
  if (!v.is_record()) return v.to_display();
  std::string key;
  for (const Value& item : v.as_record().values()) {
    key += item.to_display();
    key += '\x1f';
  }
  return key;
}

struct SelectOptions {
  std::vector<Selector> property;
  std::vector<std::string> exclude;
  std::optional<std::string> expand;
  std::optional<std::int64_t> first, last;
  std::int64_t skip = 0;
  bool unique = false;
};

class SelectStream : public RecordStream {
 public:
  SelectStream(std::unique_ptr<RecordStream> input, SelectOptions o)
      : input_(std::move(input)), o_(std::move(o)), projection_(o_.property, o_.exclude) {
    if (o_.expand) expand_.emplace(*o_.expand);
  }

  std::optional<Value> next() override {
    if (o_.last) return next_from_tail();
    if (o_.first && emitted_ >= *o_.first) return std::nullopt;  // stop pulling the source
    while (auto v = transformed()) {
      if (skipped_ < o_.skip) {
        ++skipped_;
        continue;
      }
      ++emitted_;
      return v;
    }
    return std::nullopt;
  }

 private:
  // The next input after -ExpandProperty / projection and -Unique.
  std::optional<Value> transformed() {
    while (true) {
      std::optional<Value> v;
      if (pending_pos_ < pending_.size()) {
        v = std::move(pending_[pending_pos_++]);
      } else {
        v = input_->next();
        if (!v) return std::nullopt;
        if (expand_) {
          const Value* inner = expand_->read(*v);
          if (!inner)
            throw Error("PropertyNotFound",
                        "Property \"" + *o_.expand + "\" cannot be found.");
          if (inner->is_array()) {
            pending_ = inner->as_array();
            pending_pos_ = 0;
            continue;
          }
          Value value = *inner;  // copy first: `inner` points into *v
          v = std::move(value);
        } else if (projection_.active()) {
          v = projection_.apply(*v);
        }
      }
      if (o_.unique && !seen_.insert(unique_key(*v)).second) continue;
      return v;
    }
  }

  // -Last N (with -Skip counting from the end, and -First N taking from the
  // start as well): needs the whole input.
  std::optional<Value> next_from_tail() {
    if (!tail_ready_) {
      std::vector<Value> all;
      while (auto v = transformed()) all.push_back(std::move(*v));
      size_t n = all.size();
      size_t skip = static_cast<size_t>(std::min<std::int64_t>(o_.skip, static_cast<std::int64_t>(n)));
      size_t end = n - skip;
      size_t last = static_cast<size_t>(std::min<std::int64_t>(*o_.last, static_cast<std::int64_t>(end)));
      size_t first = o_.first ? static_cast<size_t>(std::min<std::int64_t>(*o_.first, static_cast<std::int64_t>(end - last))) : 0;
      for (size_t i = 0; i < first; ++i) tail_.push_back(std::move(all[i]));
      for (size_t i = end - last; i < end; ++i) tail_.push_back(std::move(all[i]));
      tail_ready_ = true;
    }
    if (tail_.empty()) return std::nullopt;
    Value v = std::move(tail_.front());
    tail_.pop_front();
    return v;
  }

  std::unique_ptr<RecordStream> input_;
  SelectOptions o_;
  Projection projection_;
  std::optional<PropertyReader> expand_;
  std::vector<Value> pending_;
  size_t pending_pos_ = 0;
  std::unordered_set<std::string> seen_;
  std::int64_t skipped_ = 0, emitted_ = 0;
  bool tail_ready_ = false;
  std::deque<Value> tail_;
};

}  // namespace

CmdletSpec select_object_cmdlet() {
  CmdletSpec c;
  c.name = "Select-Object";
  c.aliases = {"select"};
  c.synopsis = "Selects properties of records, or the first, last or unique records.";
  c.description =
      "-Property keeps the named properties in that order (wildcards allowed; a property the "
      "input lacks is added empty); -ExcludeProperty drops properties; -ExpandProperty emits a "
      "property's value instead of the record. -First N stops reading its input after N "
      "records; -Skip N skips the first N (the last N with -Last); -Unique drops repeated records.";
  c.parameters = declare_parameters({
      property_parameter("Properties to keep, in order (wildcards allowed), or calculated properties "
                         "@{Name='KB'; Expression={ $_.Size / 1KB }}."),
      Param::Strings("ExcludeProperty", "Properties to leave out (wildcards allowed).").completion(Completion::Property),
      Param::String("ExpandProperty", "Emit this property's value (each item of an array) instead of the record.")
          .completion(Completion::Property),
      Param::Int("First", "Emit only the first N records.").min(0),
      Param::Int("Last", "Emit only the last N records.").min(0),
      Param::Int("Skip", "Skip N records (from the end with -Last).").min(0),
      Param::Switch("Unique", "Drop records identical to one already emitted."),
  });
  c.outputs = {"(the selected properties)"};
  c.examples = {
      {"Get-MessageTrace | Select-Object -First 5", "The five newest traces."},
      {"Get-TlsUsage | Select-Object Direction,TlsVersion,Percent", "Three columns of the TLS summary."},
      {"Get-MessageTrace | Select-Object SenderAddress, @{Name='KB'; Expression={ $_.Size / 1KB }}",
       "A calculated property: the size in KiB beside the sender."},
  };
  c.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream> input)
      -> std::unique_ptr<RecordStream> {
    SelectOptions o;
    o.property = property_selectors(session, params);
    o.exclude = params.strings("ExcludeProperty");
    o.expand = params.string("ExpandProperty");
    o.first = params.integer("First");
    o.last = params.integer("Last");
    o.skip = params.integer("Skip").value_or(0);
    o.unique = params.flag("Unique");
    if (o.expand && !o.property.empty())
      throw Error("AmbiguousParameterSet",
                  "Select-Object takes -ExpandProperty or -Property, not both.");
    return std::make_unique<SelectStream>(std::move(input), std::move(o));
  };
  return c;
}

}  // namespace mailflow
