#include "core/wildcard.h"

#include "core/text.h"

namespace mailflow {

namespace {

void append_literal(std::string& out, char c) {
  c = ascii_lower(c);
  if (c == '*' || c == '?' || c == '[') {
    out += '[';
    out += c;
    out += ']';
  } else {
    out += c;
  }
}

}  // namespace

bool has_wildcards(std::string_view p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '`') {
      ++i;
      continue;
    }
    if (p[i] == '*' || p[i] == '?' || p[i] == '[') return true;
  }
  return false;
}

std::string wildcard_to_glob(std::string_view p) {
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '`' && i + 1 < p.size()) {
      append_literal(out, p[++i]);
    } else if (c == '*' || c == '?') {
      out += c;
    } else if (c == '[') {
      // A class runs to the next `]` (a `]` right after `[` or `[!` is a member
      // in GLOB; PowerShell has no such form, so we do not special-case it).
      size_t close = p.find(']', i + 1);
      if (close == std::string_view::npos || close == i + 1) {
        append_literal(out, c);
        continue;
      }
      out += '[';
      for (size_t k = i + 1; k < close; ++k) out += ascii_lower(p[k]);
      out += ']';
      i = close;
    } else {
      append_literal(out, c);
    }
  }
  return out;
}

std::string literal_to_glob(std::string_view text) {
  std::string out;
  for (char c : text) append_literal(out, c);
  return out;
}

std::optional<std::string> glob_literal(std::string_view glob) {
  std::string out;
  for (size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    // GLOB reads the pattern as a C string: a NUL ends it.
    if (c == '*' || c == '?' || c == '\0') return std::nullopt;
    if (c == '[') {
      // `[x]` matches x alone, for one ASCII byte x other than `^` (which
      // negates) and `]` (`[]]` is a class too, but nobody writes it here).
      // A wider class, a range or a multi-byte character is left to GLOB.
      if (i + 2 >= glob.size() || glob[i + 2] != ']') return std::nullopt;
      char member = glob[i + 1];
      if (member == '^' || member == ']' || static_cast<unsigned char>(member) >= 0x80) return std::nullopt;
      out += member;
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace mailflow
