// A text a rule author wrote, for RegisterInsightRule's Title and
// Recommendation (SPEC 6): a plain string, looked up in mailflow's catalog
// (built-in rules mark theirs with N_ so that xgettext extracts them), or a
// table of translations keyed by culture or language, `{ en = "...", es = "...",
// ["zh-TW"] = "..." }`, with English as the fallback.
#pragma once

#include <map>
#include <string>

#include "locale/culture.h"

namespace mailflow {

class LocalizedText {
 public:
  LocalizedText() = default;
  static LocalizedText plain(std::string text);
  // Throws Error("BadLocalizedText") when `translations` has no "en" entry
  // or a key that is not a language or culture name ("es", "es-ES", "zh_TW").
  static LocalizedText table(const std::map<std::string, std::string>& translations);

  bool empty() const { return english_.empty() && by_key_.empty(); }
  const std::string& english() const { return english_; }
  // The text for `culture`: its own entry ("es-ES"), else its language's
  // ("es"), else English; a plain string through the catalog.
  std::string in(const Culture& culture) const;

 private:
  std::string english_;
  std::map<std::string, std::string> by_key_;  // keys lower-case with '-'
  bool is_table_ = false;
};

}  // namespace mailflow
