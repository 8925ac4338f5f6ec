// Address and domain matching for the organisation boundary and connector
// attribution: IPv4/IPv6 addresses and CIDR ranges, and domain patterns with
// Exchange's wildcard form (`*.contoso.com`).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailflow {

// An IPv4 or IPv6 address. IPv4 is kept as an IPv4-mapped IPv6 address
// (::ffff:a.b.c.d) so that one comparison serves both families and a v4
// client logged in mapped form still matches a v4 range.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;  // written as dotted quad (or mapped): ranges count bits from the v4 part

  bool operator==(const IpAddress&) const = default;
};

// "192.0.2.7", "2001:db8::1", "::ffff:192.0.2.7" (also "[2001:db8::1]" and
// Postfix's "ipv6:" prefix). nullopt when not an address.
std::optional<IpAddress> parse_ip(std::string_view text);
std::string format_ip(const IpAddress& ip);

// A CIDR range: "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or
// /128. Host bits set below the prefix are an error ("10.0.0.1/8" is
// refused: the admin probably meant something else).
struct IpRange {
  IpAddress base;
  int prefix = 0;  // in the address's own family: 0..32 for v4, 0..128 for v6

  bool contains(const IpAddress& ip) const;
  // Larger is more specific; comparable across families (v4 /24 = v6 /120).
  int specificity() const { return base.v4 ? prefix + 96 : prefix; }
};

// nullopt with `error` set to a one-line reason when the text is not a range.
std::optional<IpRange> parse_ip_range(std::string_view text, std::string* error = nullptr);
std::string format_ip_range(const IpRange& range);

// A domain pattern: "contoso.com" (exactly that domain), "*.contoso.com"
// (any subdomain of contoso.com, not contoso.com itself, as in Exchange
// Online), or "*" (any domain). Case-insensitive.
struct DomainPattern {
  std::string suffix;     // lower case, without "*."; empty for "*"
  bool wildcard = false;

  bool matches(std::string_view domain) const;
  // Exact patterns rank above every wildcard; among wildcards the longer
  // suffix is more specific; "*" ranks last.
  int specificity() const;
};

std::optional<DomainPattern> parse_domain_pattern(std::string_view text, std::string* error = nullptr);
std::string format_domain_pattern(const DomainPattern& p);

// The domain of an envelope address ("bob@Contoso.com" -> "contoso.com"),
// empty for the null sender or an address without '@'.
std::string address_domain(std::string_view address);

}  // namespace mailflow
