#include "ingest/occurrence_counter.h"

#include <algorithm>
#include <bit>

namespace mailflow {

namespace {

constexpr std::size_t kMinCapacity = 1024;

}  // namespace

OccurrenceCounter::OccurrenceCounter(std::int64_t window_seconds, std::size_t max_entries)
    : window_(window_seconds),
      max_entries_(std::max<std::size_t>(max_entries, 16)),
      prune_at_(std::min<std::size_t>(4096, max_entries_)) {
  slots_.resize(std::max(kMinCapacity, std::bit_ceil(prune_at_ * 2)));
}

// Linear probing from the slot the key's high bits pick (the key is a
// hash already; the multiply spreads keys that differ only in low bits).
OccurrenceCounter::Slot& OccurrenceCounter::find(std::vector<Slot>& slots, std::uint64_t key) const {
  std::size_t mask = slots.size() - 1;
  std::size_t i = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
  while (slots[i].seen != 0 && slots[i].key != key) i = (i + 1) & mask;
  return slots[i];
}

std::uint32_t OccurrenceCounter::next(std::uint64_t content_hash, UnixSeconds time) {
  Slot& s = find(slots_, content_hash);
  std::uint32_t occurrence = 0;
  if (s.seen == 0) {
    s.key = content_hash;
    ++size_;
  } else {
    occurrence = s.seen;
  }
  ++s.seen;
  s.time = time;
  if (size_ >= prune_at_) prune(time);
  return occurrence;
}

// Drops entries far from `now` in trace time; when that is not enough
// (a burst of distinct records within the window), narrows the window for
// this pass until at most half of max_entries remain. The schedule (when to
// prune, what to keep) decides the numbering, so it must stay as it is.
void OccurrenceCounter::prune(UnixSeconds now) {
  std::int64_t window = window_;
  for (;;) {
    rebuild(slots_.size(), window, now);
    if (size_ <= max_entries_ / 2) break;
    if (window == 0) {
      std::fill(slots_.begin(), slots_.end(), Slot{});
      size_ = 0;
      break;
    }
    window /= 2;
  }
  prune_at_ = std::min(max_entries_, std::max<std::size_t>(4096, size_ * 2));
  if (prune_at_ <= size_) prune_at_ = size_ + 1;
  // Room for prune_at_ entries at most half full.
  std::size_t want = std::max(kMinCapacity, std::bit_ceil(prune_at_ * 2));
  if (want != slots_.size()) rebuild(want, -1, now);
}

// Re-inserts the entries within `window` of `now` (all when window < 0)
// into a table of `capacity` slots.
// The other table is kept between passes and cleared in place: a fresh one
// per pass (every few thousand records) cost an allocation and, above
// malloc's mmap threshold, a page fault per page.
void OccurrenceCounter::rebuild(std::size_t capacity, std::int64_t window, UnixSeconds now) {
  if (spare_.size() != capacity) spare_.assign(capacity, Slot{});
  else std::fill(spare_.begin(), spare_.end(), Slot{});
  std::size_t kept = 0;
  for (const Slot& s : slots_) {
    if (s.seen == 0) continue;
    std::int64_t d = s.time - now;
    if (window >= 0 && (d > window || d < -window)) continue;
    find(spare_, s.key) = s;
    ++kept;
  }
  slots_.swap(spare_);
  size_ = kept;
}

}  // namespace mailflow
