// A culture: the language a person reads mailflow in and the way numbers,
// percentages and dates are written for them (PowerShell's CultureInfo).
// Messages come from the gettext catalogs built from stdlib/locale/*.po;
// numbers and dates from ICU through Boost.Locale, so nothing depends on the
// locales installed on the machine. Machine output (JSON, CSV) never goes
// through a Culture: it stays invariant.
#pragma once

#include <cstdint>
#include <functional>
#include <locale>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace mailflow {

class Culture {
 public:
  // The cultures mailflow speaks, by their canonical names: "en" (the
  // invariant culture: English text, ISO dates, numbers as the cmdlets
  // return them) and es-ES, sv-SE, zh-TW, it-IT, nl-NL.
  static const std::vector<std::string>& supported();

  // The culture named `name` ("es-ES", "es_ES", "es", "zh-Hant-TW", "en-US";
  // case-insensitive). Throws Error("UnknownCulture") naming the value and
  // the supported ones, and Error("CatalogNotFound") when the culture's
  // message catalog is not installed in `locale_dir()`.
  static std::shared_ptr<const Culture> get(std::string_view name);
  // The canonical name of a supported culture, or "" when `name` is not one.
  static std::string canonical_name(std::string_view name);
  // The invariant culture (English).
  static const std::shared_ptr<const Culture>& invariant();
  // The culture of the environment as gettext reads it: the first of LC_ALL,
  // LC_MESSAGES, LANG that is set and non-empty ("es_ES.UTF-8"). C, POSIX,
  // an unsupported language or a missing catalog give the invariant culture.
  static std::shared_ptr<const Culture> from_environment(
      const std::function<const char*(const char*)>& getenv);

  const std::string& name() const { return name_; }  // "es-ES", "en"
  bool is_invariant() const { return invariant_; }

  // gettext lookups in the "mailflow" domain; the msgid itself when the
  // catalog has no translation.
  std::string translate(const char* msgid) const;
  std::string translate_plural(const char* singular, const char* plural, std::int64_t n) const;
  std::string translate_context(const char* context, const char* msgid) const;

  // "58,50 %" (es, sv), "58,50%" (it, nl), "58.50%" (zh-TW, en) for 58.5:
  // `value` is 0-100, two decimals.
  std::string percent(double value) const;
  // A count with the culture's digit grouping ("12.345" es, "12 345" sv);
  // the invariant culture writes it plain, as the cmdlets return it.
  std::string count(std::int64_t value) const;
  // A number with `decimals` decimals ("12,50" es for 12.5 and 2).
  std::string number(double value, int decimals) const;
  // A threshold as a title shows it: no decimals when whole ("25"), else
  // as few as it needs ("12,5" es).
  std::string threshold(double value) const;
  // The culture's short date ("22/11/26" es, "2026-11-22" sv,
  // "2026/11/22" zh-TW, "22-11-2026" nl); ISO for the invariant culture.
  std::string date(DayNumber day) const;
  // The short date without its year, for chart axes: "22/11" (es), "11-22"
  // (sv, and the invariant culture), "11/22" (zh-TW), "22-11" (nl).
  std::string month_day(DayNumber day) const;

  Culture(std::string name, std::locale locale, bool invariant);

 private:
  std::string name_;
  std::locale locale_;
  bool invariant_;
};

// Where the compiled catalogs (LANG/LC_MESSAGES/mailflow.mo) are:
// $MAILFLOW_LOCALEDIR, else `locale/` next to the binary (the build tree), else
// `../share/mailflow/locale` from it (the install tree), else the build
// tree's locale/ compiled in as MAILFLOW_BUILD_LOCALEDIR.
std::string locale_dir();

}  // namespace mailflow
