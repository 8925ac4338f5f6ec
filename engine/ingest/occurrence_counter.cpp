#include "ingest/occurrence_counter.h"

#include <algorithm>

namespace mailflow {

OccurrenceCounter::OccurrenceCounter(std::int64_t window_seconds, std::size_t max_entries)
    : window_(window_seconds),
      max_entries_(std::max<std::size_t>(max_entries, 16)),
      prune_at_(std::min<std::size_t>(4096, max_entries_)) {}

std::uint32_t OccurrenceCounter::next(std::uint64_t content_hash, UnixSeconds time) {
  auto [it, inserted] = seen_.try_emplace(content_hash, Entry{0, time});
  std::uint32_t occurrence = 0;
  if (!inserted) {
    occurrence = ++it->second.count;
    it->second.time = time;
  }
  if (seen_.size() >= prune_at_) prune(time);
  return occurrence;
}

// Drops entries far from `now` in trace time; when that is not enough
// (a burst of distinct records within the window), narrows the window for
// this pass until at most half of max_entries remain.
void OccurrenceCounter::prune(UnixSeconds now) {
  std::int64_t window = window_;
  for (;;) {
    std::erase_if(seen_, [&](const auto& item) {
      std::int64_t d = item.second.time - now;
      return d > window || d < -window;
    });
    if (seen_.size() <= max_entries_ / 2) break;
    if (window == 0) {
      seen_.clear();
      break;
    }
    window /= 2;
  }
  prune_at_ = std::min(max_entries_, std::max<std::size_t>(4096, seen_.size() * 2));
  if (prune_at_ <= seen_.size()) prune_at_ = seen_.size() + 1;
}

}  // namespace mailflow
