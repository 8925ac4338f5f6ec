#include "core/net_match.h"

#include <cstdio>
#include <vector>

#include "core/text.h"

namespace mailflow {

namespace {

bool parse_v4(std::string_view s, std::uint8_t out[4]) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    unsigned v = 0;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
      if (v > 255 || i - start >= 3) return false;
      ++i;
    }
    if (i - start > 1 && s[start] == '0') return false;  // no octal-looking parts
    out[part++] = static_cast<std::uint8_t>(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 4291 text form, with "::" and an optional trailing dotted quad.
bool parse_v6(std::string_view s, std::array<std::uint8_t, 16>& out) {
  std::vector<std::uint16_t> head, tail;
  bool gap = false;
  std::vector<std::uint16_t>* cur = &head;
  size_t i = 0;
  if (s.starts_with("::")) {
    gap = true;
    cur = &tail;
    i = 2;
  }
  while (i < s.size()) {
    size_t end = s.find(':', i);
    std::string_view group = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (group.find('.') != std::string_view::npos) {  // embedded IPv4, must be last
      std::uint8_t q[4];
      if (end != std::string_view::npos || !parse_v4(group, q)) return false;
      cur->push_back(static_cast<std::uint16_t>(q[0] << 8 | q[1]));
      cur->push_back(static_cast<std::uint16_t>(q[2] << 8 | q[3]));
      i = s.size();
      break;
    }
    if (group.empty() || group.size() > 4) return false;
    unsigned v = 0;
    for (char c : group) {
      int h = hex_value(c);
      if (h < 0) return false;
      v = v * 16 + static_cast<unsigned>(h);
    }
    cur->push_back(static_cast<std::uint16_t>(v));
    if (end == std::string_view::npos) {
      i = s.size();
      break;
    }
    i = end + 1;
    if (i < s.size() && s[i] == ':') {
      if (gap) return false;  // a second "::"
      gap = true;
      cur = &tail;
      ++i;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  size_t groups = head.size() + tail.size();
  if (gap ? groups > 7 : groups != 8) return false;
  std::array<std::uint16_t, 8> all{};
  for (size_t k = 0; k < head.size(); ++k) all[k] = head[k];
  for (size_t k = 0; k < tail.size(); ++k) all[8 - tail.size() + k] = tail[k];
  for (size_t k = 0; k < 8; ++k) {
    out[2 * k] = static_cast<std::uint8_t>(all[k] >> 8);
    out[2 * k + 1] = static_cast<std::uint8_t>(all[k] & 0xff);
  }
  return true;
}

bool is_mapped_v4(const std::array<std::uint8_t, 16>& b) {
  for (int i = 0; i < 10; ++i)
    if (b[i] != 0) return false;
  return b[10] == 0xff && b[11] == 0xff;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (istarts_with(text, "ipv6:")) text.remove_prefix(5);
  IpAddress ip;
  std::uint8_t q[4];
  if (parse_v4(text, q)) {
    ip.bytes[10] = ip.bytes[11] = 0xff;
    for (int i = 0; i < 4; ++i) ip.bytes[12 + i] = q[i];
    ip.v4 = true;
    return ip;
  }
  if (text.find(':') == std::string_view::npos || !parse_v6(text, ip.bytes)) return std::nullopt;
  ip.v4 = is_mapped_v4(ip.bytes);
  return ip;
}

std::string format_ip(const IpAddress& ip) {
  char buf[64];
  if (ip.v4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip.bytes[12], ip.bytes[13], ip.bytes[14], ip.bytes[15]);
    return buf;
  }
  // Compress the longest run of zero groups (RFC 5952).
  std::array<unsigned, 8> g{};
  for (int k = 0; k < 8; ++k) g[k] = static_cast<unsigned>(ip.bytes[2 * k] << 8 | ip.bytes[2 * k + 1]);
  int best = -1, best_len = 0;
  for (int k = 0; k < 8;) {
    if (g[k] != 0) {
      ++k;
      continue;
    }
    int start = k;
    while (k < 8 && g[k] == 0) ++k;
    if (k - start > best_len && k - start > 1) {
      best = start;
      best_len = k - start;
    }
  }
  std::string out;
  for (int k = 0; k < 8; ++k) {
    if (k == best) {
      out += "::";
      k += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[k]);
    out += buf;
  }
  return out;
}

bool IpRange::contains(const IpAddress& ip) const {
  int bits = base.v4 ? prefix + 96 : prefix;
  if (base.v4 != ip.v4 && base.v4) return false;  // a v4 range holds only v4 (and mapped) addresses
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((base.bytes[i] & mask) != (ip.bytes[i] & mask)) return false;
  }
  return true;
}

std::optional<IpRange> parse_ip_range(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<IpRange> {
    if (error) *error = why;
    return std::nullopt;
  };
  std::string_view t = trim(text);
  size_t slash = t.find('/');
  auto ip = parse_ip(t.substr(0, slash));
  if (!ip) return fail("'" + std::string(t) + "' is not an IPv4 or IPv6 address or CIDR range");
  IpRange r{*ip, ip->v4 ? 32 : 128};
  if (slash != std::string_view::npos) {
    std::string_view p = t.substr(slash + 1);
    int v = 0;
    if (p.empty() || p.size() > 3) return fail("'" + std::string(t) + "' has a bad prefix length");
    for (char c : p) {
      if (c < '0' || c > '9') return fail("'" + std::string(t) + "' has a bad prefix length");
      v = v * 10 + (c - '0');
    }
    if (v > (ip->v4 ? 32 : 128))
      return fail("'" + std::string(t) + "': prefix length " + std::to_string(v) + " is longer than the address");
    r.prefix = v;
    IpRange masked = r;
    int bits = ip->v4 ? v + 96 : v;
    for (int i = 0; i < 16; ++i, bits -= 8) {
      std::uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : static_cast<std::uint8_t>(0xff << (8 - bits));
      masked.base.bytes[i] &= mask;
    }
    if (masked.base.bytes != r.base.bytes)
      return fail("'" + std::string(t) + "' has host bits set; the range is " + format_ip_range(masked));
  }
  return r;
}

std::string format_ip_range(const IpRange& r) {
  return format_ip(r.base) + "/" + std::to_string(r.prefix);
}

bool DomainPattern::matches(std::string_view domain) const {
  if (!wildcard) return iequals(domain, suffix);
  if (suffix.empty()) return !domain.empty();
  // "*.contoso.com": a proper subdomain ends with ".contoso.com".
  if (domain.size() <= suffix.size() + 1) return false;
  std::string_view tail = domain.substr(domain.size() - suffix.size());
  return domain[domain.size() - suffix.size() - 1] == '.' && iequals(tail, suffix);
}

int DomainPattern::specificity() const {
  if (!wildcard) return 1000000;
  return static_cast<int>(suffix.size()) + 1;
}

std::optional<DomainPattern> parse_domain_pattern(std::string_view text, std::string* error) {
  std::string_view t = trim(text);
  DomainPattern p;
  if (t == "*") {
    p.wildcard = true;
    return p;
  }
  if (t.starts_with("*.")) {
    p.wildcard = true;
    t.remove_prefix(2);
  }
  bool ok = !t.empty() && t.front() != '.' && t.back() != '.' && t.find("..") == std::string_view::npos;
  for (char c : t) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '.' || c == '_';
    if (!allowed) ok = false;
  }
  if (!ok) {
    if (error) *error = "'" + std::string(text) + "' is not a domain or a wildcard domain like *.contoso.com";
    return std::nullopt;
  }
  p.suffix = to_lower(t);
  return p;
}

std::string format_domain_pattern(const DomainPattern& p) {
  if (!p.wildcard) return p.suffix;
  return p.suffix.empty() ? "*" : "*." + p.suffix;
}

std::string address_domain(std::string_view address) {
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view d = address.substr(at + 1);
  if (!d.empty() && d.back() == '>') d.remove_suffix(1);
  return to_lower(d);
}

}  // namespace mailflow
