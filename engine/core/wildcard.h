// PowerShell wildcards (`*`, `?`, `[abc]`, `[a-z]`, backtick escapes) as the
// -like operator and the address parameters of Get-MessageTrace read them,
// translated to SQLite GLOB patterns so that matching happens in SQL with a
// bound pattern. PowerShell matches case-insensitively: the pattern is folded
// to ASCII lower case and must be compared with lower(column).
#pragma once

#include <optional>
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

// The one string the GLOB pattern `glob` matches, when it matches exactly
// one: no `*` or `?`, and every `[` opens a class of one ASCII character
// (`[*]`, as literal_to_glob writes it). nullopt for any other pattern, so
// a caller that looks the string up instead of matching the pattern (the
// store's address index) falls back to GLOB for it.
std::optional<std::string> glob_literal(std::string_view glob);

}  // namespace mailflow
