#include "locale/localized_text.h"

#include <cctype>

#include "core/error.h"

namespace mailflow {

namespace {

// "zh_TW" -> "zh-tw"; "" when the key is not letters and digits in subtags.
std::string normal_key(const std::string& key) {
  std::string out;
  bool subtag_start = true;
  for (char c : key) {
    if (c == '_' || c == '-') {
      if (subtag_start) return "";
      out += '-';
      subtag_start = true;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c))) return "";
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    subtag_start = false;
  }
  if (subtag_start) return "";
  size_t lang = out.find('-');
  size_t lang_len = lang == std::string::npos ? out.size() : lang;
  if (lang_len < 2 || lang_len > 3) return "";
  for (size_t i = 0; i < lang_len; ++i)
    if (!std::isalpha(static_cast<unsigned char>(out[i]))) return "";
  return out;
}

}  // namespace

LocalizedText LocalizedText::plain(std::string text) {
  LocalizedText t;
  t.english_ = std::move(text);
  return t;
}

LocalizedText LocalizedText::table(const std::map<std::string, std::string>& translations) {
  LocalizedText t;
  t.is_table_ = true;
  for (const auto& [key, text] : translations) {
    std::string k = normal_key(key);
    if (k.empty())
      throw Error("BadLocalizedText", "'" + key + "' is not a language or culture name (en, es, es-ES, zh-TW)");
    t.by_key_[k] = text;
  }
  auto en = t.by_key_.find("en");
  if (en == t.by_key_.end())
    throw Error("BadLocalizedText", "a table of translations needs an en entry, the English fallback");
  t.english_ = en->second;
  return t;
}

std::string LocalizedText::in(const Culture& culture) const {
  if (!is_table_) return english_.empty() ? english_ : culture.translate(english_.c_str());
  std::string name = normal_key(culture.name());
  if (auto it = by_key_.find(name); it != by_key_.end()) return it->second;
  if (name == "zh-tw")
    if (auto it = by_key_.find("zh-hant"); it != by_key_.end()) return it->second;
  std::string language = name.substr(0, name.find('-'));
  // Chinese alone says nothing of the script: only zh-TW's own entries count.
  if (language != "zh")
    if (auto it = by_key_.find(language); it != by_key_.end()) return it->second;
  return english_;
}

}  // namespace mailflow
