// A 64-bit content hash that reads eight bytes at a time: trace
// fingerprints (the de-duplication key kept in the store) and the
// importer's occurrence counting. FNV-1a, used before, costs a multiply per
// byte in one dependent chain; this costs one 64x64->128 multiply per eight
// bytes. The value is part of the store's format (fingerprints are kept),
// so it must never change between releases or platforms: words are read
// little-endian whatever the host, and every field is length-prefixed so
// that ("ab", "c") and ("a", "bc") differ.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace mailflow {

class ContentHash {
 public:
  void bytes(const void* data, std::size_t n) {
    auto* p = static_cast<const unsigned char*>(data);
    while (n >= 8) {
      h_ = mix(h_ ^ load8(p), kMul1);
      p += 8;
      n -= 8;
    }
    if (n) {
      std::uint64_t tail = 0;
      for (std::size_t i = 0; i < n; ++i) tail |= static_cast<std::uint64_t>(p[i]) << (8 * i);
      h_ = mix(h_ ^ tail ^ (static_cast<std::uint64_t>(n) << 59), kMul2);
    }
  }
  void str(std::string_view s) {
    num(static_cast<std::int64_t>(s.size()));
    bytes(s.data(), s.size());
  }
  void opt(const std::optional<std::string>& s) {
    if (s) str(*s);
    else num(kNullMarker);
  }
  void num(std::int64_t v) { h_ = mix(h_ ^ static_cast<std::uint64_t>(v), kMul2); }
  std::uint64_t value() const { return mix(h_, kMul1 ^ kMul2); }

 private:
  static constexpr std::uint64_t kMul1 = 0xa0761d6478bd642fULL;
  static constexpr std::uint64_t kMul2 = 0xe7037ed1a0b428dbULL;
  static constexpr std::int64_t kNullMarker = -0x1e1e1e1e1e1e1e1fLL;

  // The product's two halves folded together: every input bit reaches
  // every output bit within two rounds.
  static std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
    unsigned __int128 r = static_cast<unsigned __int128>(a ^ 0x8bb84b93962eacc9ULL) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
  }
  static std::uint64_t load8(const unsigned char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
  }

  std::uint64_t h_ = 0x2d358dccaa6c78a5ULL;
};

}  // namespace mailflow
