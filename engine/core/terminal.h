// The terminal as the host sees it: is a stream a terminal, how wide is it,
// may we colour, and reading a secret without echo. POSIX only, no project
// dependencies, so that cmdlets (Read-Host, Out-Host) and front ends share it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mailflow {

// True when the locale that the C library would use is UTF-8: the first of
// LC_ALL, LC_CTYPE, LANG that is set and non-empty decides, as setlocale()
// does. `getenv` is injected so that tests do not touch the environment.
bool locale_is_utf8(const std::function<const char*(const char*)>& getenv);

bool is_terminal(int fd);

// Bidirectional formatting controls: U+061C, U+200E-200F, U+202A-202E,
// U+2066-2069. Data holding them can make a terminal line (or HTML text)
// read differently from what it stores ("Trojan Source").
bool is_bidi_control(char32_t cp);

// Text from data made safe for a terminal: the one place every output path
// (formatters, pipeline and Lua output, errors and warnings that quote data)
// goes through. C0 controls other than tab and newline, DEL and the bytes
// 0x80-0x9F outside UTF-8 sequences (8-bit C1) become \xHH; C1 controls (U+0080-009F) and bidi controls
// become \uHHHH, so nothing from a log can move the cursor, retitle the
// window or reorder the line. Everything else passes unchanged.
std::string terminal_safe(std::string_view text);

// Columns of the terminal on `fd` (TIOCGWINSZ), or 0 when `fd` is not a
// terminal or reports no size.
int terminal_columns(int fd);

// Colour only on a terminal, and never when NO_COLOR is set to a non-empty
// value (https://no-color.org) or TERM is "dumb".
bool colour_enabled(int fd);

// SGR sequences, or "" when colour is off.
struct Palette {
  explicit Palette(bool on) : on_(on) {}
  const char* red() const { return on_ ? "\033[31m" : ""; }
  const char* green() const { return on_ ? "\033[1;32m" : ""; }
  const char* dim() const { return on_ ? "\033[2m" : ""; }
  const char* reset() const { return on_ ? "\033[0m" : ""; }

 private:
  bool on_;
};

// Reads one line typed at a password-like prompt. On a terminal the prompt
// goes to stderr and echo is off while typing; the line never reaches the
// REPL history (it is not read through readline). When stdin is not a
// terminal the next line of stdin is read, so automation can feed it.
// Returns nullopt at end of input. Throws Error("Interrupted") on Ctrl-C.
std::optional<std::string> read_secret(std::string_view prompt);

}  // namespace mailflow
