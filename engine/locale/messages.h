// Marking and translating what a person reads, gettext style. `_("...")`
// translates into the current culture; xgettext extracts every marked string
// into stdlib/locale/mailflow.pot (the `mailflow_pot` target):
//
//   _("Mail flow")                              gettext
//   _n("%s day", "%s days", n)                  ngettext (plural forms per language)
//   _p("direction", "Inbound")                  pgettext (same English, other meaning)
//   N_("...")                                   marks only; translated later with _()
//
// Placeholders are printf's: `%s`, or `%1$s` `%2$s` when a translation
// reorders them, and `%%`; every argument is text that the caller already
// formatted for the culture (Culture::count, percent, date). format_message
// fills them in, so a catalog can never make it read a wrong type.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "locale/culture.h"

namespace mailflow {

// The culture `_()` translates into: the innermost CultureScope of this
// thread, else the process default (set_default_culture), else invariant.
const Culture& current_culture();
std::shared_ptr<const Culture> current_culture_ptr();
void set_default_culture(std::shared_ptr<const Culture> culture);

// Makes `culture` current on this thread for its lifetime (Export-MailFlowReport
// -Culture renders one page in another language).
class CultureScope {
 public:
  explicit CultureScope(std::shared_ptr<const Culture> culture);
  ~CultureScope();
  CultureScope(const CultureScope&) = delete;
  CultureScope& operator=(const CultureScope&) = delete;

 private:
  std::shared_ptr<const Culture> previous_;
};

inline std::string _(const char* msgid) { return current_culture().translate(msgid); }
inline std::string _n(const char* singular, const char* plural, std::int64_t n) {
  return current_culture().translate_plural(singular, plural, n);
}
inline std::string _p(const char* context, const char* msgid) {
  return current_culture().translate_context(context, msgid);
}
#define N_(text) text

// Fills `%s` (in order), `%N$s` (the N-th argument) and `%%` of a message.
// A directive without an argument, or one it does not know, is written as
// it stands rather than read past the arguments.
std::string format_message(std::string_view pattern, std::initializer_list<std::string> args);

}  // namespace mailflow
