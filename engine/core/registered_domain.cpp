#include "core/registered_domain.h"

#include <libpsl.h>

#include <cstdlib>

#include "core/net_match.h"
#include "core/text.h"

namespace mailflow {

namespace {

// The newest of libpsl's built-in list and the system's (the publicsuffix
// package); loaded once, read-only afterwards (psl_* lookups are thread-safe
// on a loaded context).
const psl_ctx_t* suffix_list() {
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* c = psl_latest(nullptr);
    return c ? c : psl_builtin();
  }();
  return ctx;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_host_name(std::string_view host) {
  if (host.empty() || iequals(host, "unknown")) return false;
  return !parse_ip(host);
}

}  // namespace

std::optional<std::string> registered_domain(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (!is_host_name(host)) return std::nullopt;
  std::string name = lower(host);
  const psl_ctx_t* psl = suffix_list();
  if (!psl) return std::nullopt;
  const char* reg = psl_registrable_domain(psl, name.c_str());
  if (!reg) return std::nullopt;
  return std::string(reg);  // points into `name`
}

PeerNames peer_names(const std::optional<std::string>& host, const std::optional<std::string>& ip) {
  PeerNames out;
  if (host && is_host_name(*host)) {
    std::string_view h = *host;
    if (!h.empty() && h.back() == '.') h.remove_suffix(1);
    out.host = lower(h);
  }
  if (ip) out.ip = *ip;
  if (!out.host.empty()) {
    std::optional<std::string> reg = registered_domain(out.host);
    out.domain = reg ? *reg : out.host;
  } else {
    out.domain = out.ip;
  }
  return out;
}

}  // namespace mailflow
