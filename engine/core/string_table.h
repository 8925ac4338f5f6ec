// A flat open-addressing table from strings to integer ids, for the import's
// hot paths (the store's dictionary cache, the TLS rollups' interning):
// slots hold the string's hash, its id and where its bytes are in one
// arena, so a hit costs one probe and one compare, and there is no
// allocation per entry. The table stays at most half full by doubling. Its
// slots are allocated by the first add(): a store holds one table per
// dictionary, and a process that only reads would otherwise zero (and take
// a page fault for) 24 KiB of each.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"

namespace mailflow {

class StringTable {
 public:
  static std::uint64_t hash(std::string_view s) {
    ContentHash h;
    h.bytes(s.data(), s.size());
    return h.value();
  }

  // The id `s` (hashing to `h`) was added with, 0 when it was not. Ids are
  // the caller's, never 0.
  std::int64_t find(std::string_view s, std::uint64_t h) const {
    if (slots_.empty()) return 0;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask; slots_[i].id != 0; i = (i + 1) & mask) {
      const Slot& e = slots_[i];
      if (e.hash == h && e.length == s.size() && std::string_view(arena_).substr(e.offset, e.length) == s)
        return e.id;
    }
    return 0;
  }
  // Adds `s`, known to be missing, with `id` (not 0). Past 4 GiB of text
  // nothing more is kept (callers use the table as a shortcut).
  void add(std::string_view s, std::uint64_t h, std::int64_t id) {
    if (arena_.size() + s.size() > UINT32_MAX) return;
    if ((used_ + 1) * 2 > slots_.size()) grow();
    std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i].id != 0) i = (i + 1) & mask;
    slots_[i] = Slot{h, id, static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(s.size())};
    arena_.append(s);
    ++used_;
  }
  std::size_t size() const { return used_; }
  // The number of slots (twice the entries at most).
  std::size_t capacity() const { return slots_.size(); }
  void clear() {
    slots_.assign(slots_.empty() ? 0 : kInitialSlots, Slot{});
    arena_.clear();
    used_ = 0;
  }

 private:
  static constexpr std::size_t kInitialSlots = 1024;
  struct Slot {
    std::uint64_t hash = 0;
    std::int64_t id = 0;  // 0: empty
    std::uint32_t offset = 0, length = 0;
  };
  void grow() {
    std::vector<Slot> bigger(slots_.empty() ? kInitialSlots : slots_.size() * 2);
    std::size_t mask = bigger.size() - 1;
    for (const Slot& e : slots_) {
      if (e.id == 0) continue;
      std::size_t i = e.hash & mask;
      while (bigger[i].id != 0) i = (i + 1) & mask;
      bigger[i] = e;
    }
    slots_.swap(bigger);
  }

  std::vector<Slot> slots_;
  std::string arena_;
  std::size_t used_ = 0;
};

}  // namespace mailflow
