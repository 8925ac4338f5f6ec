#include "locale/culture.h"

#include <boost/locale.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <mutex>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

namespace fs = std::filesystem;
namespace bl = boost::locale;

namespace {

constexpr const char* kDomain = "mailflow";

struct Known {
  const char* name;      // canonical, BCP 47
  const char* language;  // the catalog's directory (gettext's name)
  const char* posix;     // what Boost.Locale generates
};
// Region-less names and aliases map to these.
const Known kKnown[] = {
    {"es-ES", "es", "es_ES.UTF-8"}, {"sv-SE", "sv", "sv_SE.UTF-8"}, {"zh-TW", "zh_TW", "zh_TW.UTF-8"},
    {"it-IT", "it", "it_IT.UTF-8"}, {"nl-NL", "nl", "nl_NL.UTF-8"},
};

const Known* find_known(const std::string& canonical) {
  for (const Known& k : kKnown)
    if (canonical == k.name) return &k;
  return nullptr;
}

// Splits "es_ES.UTF-8@euro", "zh-Hant-TW" into lower-case subtags.
std::vector<std::string> subtags(std::string_view name) {
  std::string s(name);
  if (size_t cut = s.find_first_of(".@"); cut != std::string::npos) s.resize(cut);
  std::vector<std::string> out;
  std::string part;
  for (char c : s) {
    if (c == '-' || c == '_') {
      out.push_back(part);
      part.clear();
    } else {
      part += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  out.push_back(part);
  return out;
}

bool all_alpha(const std::string& s) {
  for (char c : s)
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}

bool catalog_installed(const std::string& dir, const Known& k) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(dir) / k.language / "LC_MESSAGES" / "mailflow.mo", ec);
}

std::locale generate(const char* posix, const std::string& dir) {
  bl::localization_backend_manager manager = bl::localization_backend_manager::global();
  // ICU formats numbers and dates from its own data, whatever the machine
  // has in /usr/lib/locale; messages come from our catalogs.
  manager.select("icu");
  bl::generator gen(manager);
  gen.add_messages_path(dir);
  gen.add_messages_domain(kDomain);
  gen.categories(bl::message_facet | bl::formatting_facet | bl::convert_facet | bl::information_facet);
  return gen(posix);
}

std::string supported_list() { return join(Culture::supported(), ", "); }

}  // namespace

const std::vector<std::string>& Culture::supported() {
  static const std::vector<std::string> names = {"en", "es-ES", "sv-SE", "zh-TW", "it-IT", "nl-NL"};
  return names;
}

std::string Culture::canonical_name(std::string_view name) {
  std::vector<std::string> tags = subtags(name);
  const std::string& lang = tags[0];
  for (const std::string& t : tags)
    if (!all_alpha(t)) return "";
  if (tags.size() > 3) return "";
  if (lang == "en") return "en";
  if (lang == "zh") {
    // Traditional Chinese as written in Taiwan: zh-TW, zh-Hant, zh-Hant-TW.
    if (tags.size() == 2 && (tags[1] == "tw" || tags[1] == "hant")) return "zh-TW";
    if (tags.size() == 3 && tags[1] == "hant" && tags[2] == "tw") return "zh-TW";
    return "";
  }
  if (tags.size() > 2) return "";
  for (const Known& k : kKnown) {
    if (lang != k.language) continue;
    // es, es-ES; another region of the language (es-MX) is not one we can
    // vouch for, so it is refused rather than half-right.
    std::string region = subtags(k.name)[1];
    if (tags.size() == 1 || tags[1] == region) return k.name;
  }
  return "";
}

const std::shared_ptr<const Culture>& Culture::invariant() {
  static const std::shared_ptr<const Culture> c =
      std::make_shared<const Culture>("en", std::locale::classic(), true);
  return c;
}

std::shared_ptr<const Culture> Culture::get(std::string_view name) {
  std::string canonical = canonical_name(name);
  if (canonical.empty())
    throw Error("UnknownCulture", "'" + std::string(name) + "' is not a supported culture; use one of " +
                                      supported_list());
  if (canonical == "en") return invariant();
  // Cached by catalog directory and name: generating a locale reads the catalog.
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, std::shared_ptr<const Culture>> cache;
  const std::string dir = locale_dir();
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find({dir, canonical}); it != cache.end()) return it->second;
  const Known& k = *find_known(canonical);
  if (!catalog_installed(dir, k))
    throw Error("CatalogNotFound", "the message catalog of " + canonical + " is not installed: " +
                                       (fs::path(dir) / k.language / "LC_MESSAGES" / "mailflow.mo").string() +
                                       " is missing (set MAILFLOW_LOCALEDIR, or rebuild)");
  auto culture = std::make_shared<const Culture>(canonical, generate(k.posix, dir), false);
  cache.emplace(std::make_pair(dir, canonical), culture);
  return culture;
}

std::shared_ptr<const Culture> Culture::from_environment(
    const std::function<const char*(const char*)>& getenv) {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = getenv(var);
    if (!v || !*v) continue;
    std::string canonical = canonical_name(v);
    if (canonical.empty() || canonical == "en") return invariant();
    try {
      return get(canonical);
    } catch (const Error&) {
      return invariant();  // as gettext does when the catalog is missing
    }
  }
  return invariant();
}

Culture::Culture(std::string name, std::locale locale, bool invariant)
    : name_(std::move(name)), locale_(std::move(locale)), invariant_(invariant) {}

std::string Culture::translate(const char* msgid) const {
  if (invariant_) return msgid;
  return bl::translate(msgid).str(locale_);
}

std::string Culture::translate_plural(const char* singular, const char* plural, std::int64_t n) const {
  if (invariant_) return n == 1 ? singular : plural;
  return bl::translate(singular, plural, n).str(locale_);
}

std::string Culture::translate_context(const char* context, const char* msgid) const {
  if (invariant_) return msgid;
  return bl::translate(context, msgid).str(locale_);
}

std::string Culture::percent(double value) const {
  if (invariant_) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f%%", value);
    return buf;
  }
  std::ostringstream out;
  out.imbue(locale_);
  out << bl::as::percent << std::fixed << std::setprecision(2) << value / 100.0;
  return out.str();
}

std::string Culture::count(std::int64_t value) const {
  if (invariant_) return std::to_string(value);
  std::ostringstream out;
  out.imbue(locale_);
  out << bl::as::number << value;
  return out.str();
}

std::string Culture::number(double value, int decimals) const {
  if (invariant_) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
  }
  std::ostringstream out;
  out.imbue(locale_);
  out << bl::as::number << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

std::string Culture::threshold(double value) const {
  int decimals = 0;
  while (decimals < 6 && std::fabs(value * std::pow(10.0, decimals) -
                                   std::round(value * std::pow(10.0, decimals))) > 1e-9)
    ++decimals;
  if (invariant_ && decimals == 6) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", value);
    return buf;
  }
  return number(value, decimals);
}

std::string Culture::date(DayNumber day) const {
  if (invariant_) return format_date(day);
  std::ostringstream out;
  out.imbue(locale_);
  out << bl::as::date << bl::as::date_short << bl::as::gmt
      << static_cast<double>(start_of_day(day));
  return out.str();
}

std::string Culture::month_day(DayNumber day) const {
  const std::string full = date(day);
  if (invariant_) return full.substr(5);
  // ICU's short dates put the year first (2026-11-22, 2026/11/22) or last
  // (22/11/26, 22-11-2026) with one separator character: drop it and the year.
  const std::string year = format_date(day).substr(0, 4);
  if (full.size() > 5 && full.compare(0, 4, year) == 0) return full.substr(5);
  for (const std::string& y : {year, year.substr(2)})
    if (full.size() > y.size() + 1 && full.compare(full.size() - y.size(), y.size(), y) == 0)
      return full.substr(0, full.size() - y.size() - 1);
  return full;
}

std::string locale_dir() {
  if (const char* env = std::getenv("MAILFLOW_LOCALEDIR"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    for (const fs::path& candidate :
         {exe.parent_path() / "locale", exe.parent_path().parent_path() / "share/mailflow/locale"})
      if (fs::is_directory(candidate, ec)) return candidate.string();
  return MAILFLOW_BUILD_LOCALEDIR;
}

}  // namespace mailflow
