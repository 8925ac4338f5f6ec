// Small string helpers used across the engine. PowerShell compares names and
// strings case-insensitively (ASCII folding is what admins expect for names,
// domains and addresses).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailflow {

char ascii_lower(char c);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
// <0, 0, >0 like strcmp, ASCII case-insensitive.
int icompare(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// True when `s` is well-formed UTF-8.
bool valid_utf8(std::string_view s);

// Length (1-4) of the well-formed UTF-8 sequence starting at s[i], or 0 when
// it is not one (bad lead or continuation byte, truncated, overlong form,
// surrogate, past U+10FFFF). `code_point`, when given, receives its value.
size_t utf8_sequence_length(std::string_view s, size_t i, char32_t* code_point = nullptr);

// Terminal columns, as wcwidth() counts them but without the C locale: 0 for
// combining marks and zero-width characters, 2 for East Asian wide and
// fullwidth characters (CJK, Hangul, fullwidth forms) and emoji, else 1.
int code_point_width(char32_t cp);
// The columns `text` takes; a byte that is not UTF-8 counts as one column.
size_t display_width(std::string_view text);
// Bytes of the longest prefix of whole characters that fits in `width` columns.
size_t prefix_within_width(std::string_view text, size_t width);

struct ILess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return icompare(a, b) < 0; }
};

}  // namespace mailflow
