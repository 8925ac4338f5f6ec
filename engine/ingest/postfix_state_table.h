// The Postfix joiner's state by key (queue ids; "host program[pid]" for
// smtpd sessions and smtp connections): a flat open-addressing table over
// a pool of entries, instead of a node-based map.
//
// A busy log opens and closes a queue id every few lines and an smtpd
// session every few more. A node-based map allocated a node and the key per
// queue id, and freed them with every string and vector of the entry when
// it closed; std::hash read the key a byte at a time. Here the index is one
// array of 64-bit slots (the key's hash and the entry's place in the pool,
// linear probing, removal by shifting back: no tombstones), the hash reads
// the key eight bytes at a time, and a closed entry goes back to the pool
// with its key's and its strings' memory, for the next key to reuse.
//
// Entries stay where they are until erased (the pool is a deque), so a
// reference to one lives until it is erased, whatever else is inserted.
// Iteration visits the pool in order: deterministic for the same sequence of
// lines, though not the order of insertion. A value type with a member
// `reuse()` is reset by it (keeping memory); any other is assigned V{}.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailflow::postfix {

// A 64-bit hash of a short key, eight bytes at a time (the last word
// overlaps the one before it, or is padded with zeros for a key under 8
// bytes), each word mixed in by a multiply and a shift.
inline std::uint64_t key_hash(std::string_view key) {
  const char* p = key.data();
  std::size_t n = key.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xFF51AFD7ED558CCDULL);
  auto mix = [&h](std::uint64_t w) {
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  };
  std::uint64_t w = 0;
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      mix(w);
    }
    if (i < n) {
      std::memcpy(&w, p + n - 8, 8);
      mix(w);
    }
  } else {
    std::memcpy(&w, p, n);
    mix(w);
  }
  h ^= h >> 29;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 32;
  return h;
}

template <typename V>
class StateTable {
 public:
  using value_type = std::pair<std::string, V>;

  class iterator {
   public:
    iterator(StateTable* t, std::size_t i) : t_(t), i_(i) { skip(); }
    value_type& operator*() const { return t_->entries_[i_]; }
    value_type* operator->() const { return &t_->entries_[i_]; }
    iterator& operator++() {
      ++i_;
      skip();
      return *this;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }
    std::size_t index() const { return i_; }

   private:
    void skip() {
      while (i_ < t_->live_.size() && !t_->live_[i_]) ++i_;
    }
    StateTable* t_;
    std::size_t i_;
  };

  StateTable() : slots_(16, 0) {}

  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, entries_.size()); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  iterator find(std::string_view key) {
    std::size_t slot = locate(key, key_hash(key));
    return slots_[slot] ? iterator(this, index_of(slots_[slot])) : end();
  }

  V& at(std::string_view key) {
    iterator it = find(key);
    if (it == end()) throw std::out_of_range("Postfix state table: no entry " + std::string(key));
    return it->second;
  }

  // The entry of `key`, and whether it is new (then its value is fresh).
  std::pair<iterator, bool> try_emplace(std::string_view key) {
    std::uint64_t h = key_hash(key);
    std::size_t slot = locate(key, h);
    if (slots_[slot]) return {iterator(this, index_of(slots_[slot])), false};
    std::size_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
      value_type& e = entries_[index];
      e.first.assign(key);
      if constexpr (requires(V& v) { v.reuse(); }) e.second.reuse();
      else e.second = V{};
      live_[index] = 1;
    } else {
      index = entries_.size();
      entries_.emplace_back(std::string(key), V{});
      live_.push_back(1);
    }
    slots_[slot] = (h & 0xFFFFFFFF00000000ULL) | (index + 1);
    if (++size_ * 2 > slots_.size()) grow();
    return {iterator(this, index), true};
  }

  V& operator[](std::string_view key) { return try_emplace(key).first->second; }

  void insert_or_assign(std::string_view key, V&& value) { try_emplace(key).first->second = std::move(value); }

  void erase(iterator it) {
    std::size_t index = it.index();
    std::size_t slot = locate(entries_[index].first, key_hash(entries_[index].first));
    remove_slot(slot);
    live_[index] = 0;
    free_.push_back(index);
    --size_;
  }

  template <typename Pred>
  void erase_if(Pred pred) {
    for (iterator it = begin(); it != end(); ++it)
      if (pred(*it)) erase(it);
  }

  // Empties the table; the pool keeps its memory for what comes next.
  void clear() {
    for (iterator it = begin(); it != end(); ++it) {
      live_[it.index()] = 0;
      free_.push_back(it.index());
    }
    std::fill(slots_.begin(), slots_.end(), 0);
    size_ = 0;
  }

 private:
  // A slot: the hash's high 32 bits, then the pool index + 1 (0: empty).
  static std::size_t index_of(std::uint64_t slot) { return static_cast<std::size_t>((slot & 0xFFFFFFFFULL) - 1); }
  std::size_t home(std::uint64_t h) const { return static_cast<std::size_t>(h >> 32) & (slots_.size() - 1); }

  // The slot holding `key`, or the empty slot where it would go.
  std::size_t locate(std::string_view key, std::uint64_t h) const {
    std::size_t mask = slots_.size() - 1;
    std::size_t i = home(h);
    std::uint64_t tag = h & 0xFFFFFFFF00000000ULL;
    for (;; i = (i + 1) & mask) {
      std::uint64_t s = slots_[i];
      if (s == 0) return i;
      if ((s & 0xFFFFFFFF00000000ULL) == tag && entries_[index_of(s)].first == key) return i;
    }
  }

  // Linear probing without tombstones: the slots after the removed one
  // that would no longer be found from their home slot move back.
  void remove_slot(std::size_t hole) {
    std::size_t mask = slots_.size() - 1;
    for (std::size_t j = (hole + 1) & mask; slots_[j] != 0; j = (j + 1) & mask) {
      std::size_t k = home(slots_[j]);
      // Move slot j into the hole unless its home lies cyclically in (hole, j].
      bool stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
      if (stays) continue;
      slots_[hole] = slots_[j];
      hole = j;
    }
    slots_[hole] = 0;
  }

  void grow() {
    std::vector<std::uint64_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (std::uint64_t s : old) {
      if (s == 0) continue;
      std::size_t i = home(s);
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::deque<value_type> entries_;
  std::vector<char> live_;
  std::vector<std::size_t> free_;
  std::vector<std::uint64_t> slots_;  // a power of two, at most half full
  std::size_t size_ = 0;
};

}  // namespace mailflow::postfix
