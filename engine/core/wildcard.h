// PowerShell wildcards (`*`, `?`, `[abc]`, `[a-z]`, backtick escapes) as the
// -like operator and the address parameters of Get-MessageTrace read them,
// translated to SQLite GLOB patterns so that matching happens in SQL with a
// bound pattern. PowerShell matches case-insensitively: the pattern is folded
// to ASCII lower case and must be compared with lower(column).
#pragma once

#include <string>
#include <string_view>

namespace mailflow {

// True when `pattern` contains an unescaped `*`, `?` or `[`.
bool has_wildcards(std::string_view pattern);

// `a*@Contoso.com` -> `a*@contoso.com`; `` a`*b `` -> `a[*]b`. Characters that
// GLOB treats specially but PowerShell does not are bracketed so they match
// themselves. An unclosed `[` matches a literal `[`.
std::string wildcard_to_glob(std::string_view pattern);

// A literal string as a GLOB pattern that matches exactly it (lower-cased).
std::string literal_to_glob(std::string_view text);

}  // namespace mailflow
