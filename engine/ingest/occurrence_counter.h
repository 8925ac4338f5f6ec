// Tells apart records that are identical in every field within one file:
// the second identical line is a second message (a mailing sent twice in
// the same second), not a duplicate. The n-th copy gets occurrence n, which
// goes into its fingerprint, so importing the file again maps every copy to
// the same fingerprint as before and adds nothing.
//
// Memory stays bounded: identical records carry the same timestamp, and a
// log is written in time order, so copies sit close together. The counter
// forgets records more than `window_seconds` away (in trace time) from the
// record being read, and never keeps more than `max_entries`. The numbering
// depends only on the file's content, so a re-import numbers the same way.
// Identical records further apart than that would get the same occurrence;
// the later one is then counted as a Duplicate, never silently dropped.
//
// The table is flat and open-addressed (linear probing over one array, the
// content hash is the key): one probe and no allocation per record, where a
// node-based map allocated a node per distinct record.
#pragma once

#include <cstdint>
#include <vector>

#include "core/time.h"

namespace mailflow {

class OccurrenceCounter {
 public:
  explicit OccurrenceCounter(std::int64_t window_seconds = 3600, std::size_t max_entries = 1 << 18);

  // 0 for the first record with this content hash, 1 for the second, ...
  std::uint32_t next(std::uint64_t content_hash, UnixSeconds time);
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t seen = 0;  // copies seen so far; 0 marks an empty slot
    UnixSeconds time = 0;
  };
  void prune(UnixSeconds now);
  void rebuild(std::size_t capacity, std::int64_t window, UnixSeconds now);
  Slot& find(std::vector<Slot>& slots, std::uint64_t key) const;

  std::vector<Slot> slots_;  // capacity a power of two, at most half full
  std::vector<Slot> spare_;  // the table the next rebuild fills
  std::size_t size_ = 0;
  std::int64_t window_;
  std::size_t max_entries_;
  std::size_t prune_at_;
};

}  // namespace mailflow
