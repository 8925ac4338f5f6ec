// Cultures: names, the environment, catalogs, and the numbers, percentages
// and dates each writes (ICU data, not the machine's locales).
#include "locale/culture.h"

#include <gtest/gtest.h>

#include <map>

#include "core/error.h"
#include "core/time.h"
#include "locale/localized_text.h"
#include "locale/messages.h"

namespace mailflow {
namespace {

const std::string kNbsp = "\u00a0";

std::function<const char*(const char*)> env(std::map<std::string, std::string> vars) {
  auto held = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [held](const char* name) -> const char* {
    auto it = held->find(name);
    return it == held->end() ? nullptr : it->second.c_str();
  };
}

TEST(Culture, CanonicalNames) {
  EXPECT_EQ(Culture::canonical_name("es-ES"), "es-ES");
  EXPECT_EQ(Culture::canonical_name("es_es.UTF-8@euro"), "es-ES");
  EXPECT_EQ(Culture::canonical_name("sv"), "sv-SE");
  EXPECT_EQ(Culture::canonical_name("zh_TW.UTF-8"), "zh-TW");
  EXPECT_EQ(Culture::canonical_name("zh-Hant-TW"), "zh-TW");
  EXPECT_EQ(Culture::canonical_name("en-GB"), "en");
  EXPECT_EQ(Culture::canonical_name("C"), "");
  EXPECT_EQ(Culture::canonical_name("zh-CN"), "");   // Simplified Chinese is not Taiwan's
  EXPECT_EQ(Culture::canonical_name("es-MX"), "");   // a region we do not vouch for
  EXPECT_EQ(Culture::canonical_name("fr-FR"), "");
  EXPECT_EQ(Culture::canonical_name("es-E$"), "");
}

TEST(Culture, UnknownCultureIsAClearError) {
  try {
    Culture::get("fr-FR");
    FAIL() << "fr-FR was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "UnknownCulture");
    EXPECT_STREQ(e.what(), "'fr-FR' is not a supported culture; use one of en, es-ES, sv-SE, zh-TW, it-IT, nl-NL");
  }
}

TEST(Culture, MissingCatalogIsAClearError) {
  ::setenv("MAILFLOW_LOCALEDIR", "/nonexistent/locale", 1);
  try {
    Culture::get("nl-NL");
    ADD_FAILURE() << "a missing catalog was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "CatalogNotFound");
    EXPECT_EQ(std::string(e.what()).substr(0, 45), "the message catalog of nl-NL is not installed");
  }
  // From the environment a missing catalog means English, as with gettext.
  EXPECT_EQ(Culture::from_environment(env({{"LANG", "nl_NL.UTF-8"}}))->name(), "en");
  ::unsetenv("MAILFLOW_LOCALEDIR");
  EXPECT_EQ(Culture::get("nl-NL")->name(), "nl-NL");
}

TEST(Culture, FromEnvironmentInGettextOrder) {
  EXPECT_EQ(Culture::from_environment(env({}))->name(), "en");
  EXPECT_EQ(Culture::from_environment(env({{"LANG", "C.UTF-8"}}))->name(), "en");
  EXPECT_EQ(Culture::from_environment(env({{"LANG", "sv_SE.UTF-8"}}))->name(), "sv-SE");
  EXPECT_EQ(Culture::from_environment(env({{"LANG", "sv_SE.UTF-8"}, {"LC_MESSAGES", "it_IT"}}))->name(), "it-IT");
  EXPECT_EQ(Culture::from_environment(env({{"LC_ALL", "es_ES.UTF-8"}, {"LC_MESSAGES", "it_IT"}}))->name(), "es-ES");
  EXPECT_EQ(Culture::from_environment(env({{"LC_ALL", ""}, {"LANG", "nl_NL.UTF-8"}}))->name(), "nl-NL");
  EXPECT_EQ(Culture::from_environment(env({{"LANG", "de_DE.UTF-8"}}))->name(), "en");
}

TEST(Culture, PercentagesAsTheIssueAsksForThem) {
  EXPECT_EQ(Culture::invariant()->percent(58.5), "58.50%");
  EXPECT_EQ(Culture::get("es-ES")->percent(58.5), "58,50" + kNbsp + "%");
  EXPECT_EQ(Culture::get("sv-SE")->percent(58.5), "58,50" + kNbsp + "%");
  EXPECT_EQ(Culture::get("it-IT")->percent(58.5), "58,50%");
  EXPECT_EQ(Culture::get("nl-NL")->percent(58.5), "58,50%");
  EXPECT_EQ(Culture::get("zh-TW")->percent(58.5), "58.50%");
  EXPECT_EQ(Culture::get("es-ES")->percent(0), "0,00" + kNbsp + "%");
  EXPECT_EQ(Culture::get("es-ES")->percent(100), "100,00" + kNbsp + "%");
}

TEST(Culture, CountsNumbersAndThresholds) {
  EXPECT_EQ(Culture::invariant()->count(12345), "12345");  // as the cmdlets return it
  EXPECT_EQ(Culture::get("es-ES")->count(12345), "12.345");
  EXPECT_EQ(Culture::get("sv-SE")->count(12345), "12" + kNbsp + "345");
  EXPECT_EQ(Culture::get("zh-TW")->count(12345), "12,345");
  EXPECT_EQ(Culture::get("nl-NL")->number(12.5, 2), "12,50");
  EXPECT_EQ(Culture::invariant()->number(12.5, 2), "12.50");
  EXPECT_EQ(Culture::get("it-IT")->threshold(25), "25");
  EXPECT_EQ(Culture::get("it-IT")->threshold(12.5), "12,5");
  EXPECT_EQ(Culture::invariant()->threshold(12.5), "12.5");
}

TEST(Culture, ShortDates) {
  DayNumber day = *parse_date("2026-11-22");
  EXPECT_EQ(Culture::invariant()->date(day), "2026-11-22");
  EXPECT_EQ(Culture::get("es-ES")->date(day), "22/11/26");
  EXPECT_EQ(Culture::get("sv-SE")->date(day), "2026-11-22");
  EXPECT_EQ(Culture::get("zh-TW")->date(day), "2026/11/22");
  EXPECT_EQ(Culture::get("it-IT")->date(day), "22/11/26");
  EXPECT_EQ(Culture::get("nl-NL")->date(day), "22-11-2026");
  EXPECT_EQ(Culture::invariant()->month_day(day), "11-22");
  EXPECT_EQ(Culture::get("es-ES")->month_day(day), "22/11");
  EXPECT_EQ(Culture::get("sv-SE")->month_day(day), "11-22");
  EXPECT_EQ(Culture::get("zh-TW")->month_day(day), "11/22");
  EXPECT_EQ(Culture::get("it-IT")->month_day(day), "22/11");
  EXPECT_EQ(Culture::get("nl-NL")->month_day(day), "22-11");
  // A day whose day-of-month looks like the year's last digits: 2026-11-26.
  EXPECT_EQ(Culture::get("es-ES")->month_day(*parse_date("2026-11-26")), "26/11");
  EXPECT_EQ(Culture::get("es-ES")->month_day(*parse_date("2026-01-02")), "2/1");
  // Midnight UTC stays on its day whatever the machine's time zone.
  EXPECT_EQ(Culture::get("nl-NL")->date(*parse_date("1970-01-01")), "01-01-1970");
}

TEST(Culture, MessagesAndPluralForms) {
  auto es = Culture::get("es-ES");
  EXPECT_EQ(es->translate("Outbound and inbound mail flow"), "Flujo de correo entrante y saliente");
  EXPECT_EQ(es->translate("a string no catalog has"), "a string no catalog has");
  EXPECT_EQ(es->translate_plural("%s day", "%s days", 1), "%s día");
  EXPECT_EQ(es->translate_plural("%s day", "%s days", 2), "%s días");
  EXPECT_EQ(Culture::get("zh-TW")->translate_plural("%s day", "%s days", 2), "%s 天");
  EXPECT_EQ(es->translate_context("TLS version", "None"), "Sin TLS");
  EXPECT_EQ(es->translate_context("direction", "Inbound"), "Entrante");
  EXPECT_EQ(Culture::invariant()->translate_plural("%s day", "%s days", 1), "%s day");
}

TEST(Messages, CultureScopeNestsAndRestores) {
  EXPECT_EQ(current_culture().name(), "en");
  {
    CultureScope sv(Culture::get("sv-SE"));
    EXPECT_EQ(_("Total"), "Totalt");
    {
      CultureScope it(Culture::get("it-IT"));
      EXPECT_EQ(_("Total"), "Totale");
      EXPECT_EQ(_n("%s message", "%s messages", 3), "%s messaggi");
      EXPECT_EQ(_p("direction", "Outbound"), "In uscita");
    }
    EXPECT_EQ(_("Total"), "Totalt");
  }
  EXPECT_EQ(_("Total"), "Total");
}

TEST(Messages, FormatMessageFillsPlaceholdersSafely) {
  EXPECT_EQ(format_message("%s of %s", {"a", "b"}), "a of b");
  EXPECT_EQ(format_message("%2$s before %1$s", {"a", "b"}), "b before a");
  EXPECT_EQ(format_message("%1$s, %1$s and %2$s", {"a", "b"}), "a, a and b");
  EXPECT_EQ(format_message("100%% of %d", {"7"}), "100% of 7");
  // More directives than arguments, or unknown ones, stay as written.
  EXPECT_EQ(format_message("%s %s %3$s %x %", {"a"}), "a %s %3$s %x %");
  // An argument's own % signs are not read again.
  EXPECT_EQ(format_message("%s and %s", {"%s", "b"}), "%s and b");
}

TEST(LocalizedText, TablesPickTheCultureThenTheLanguageThenEnglish) {
  LocalizedText t = LocalizedText::table({{"en", "Hello"}, {"es", "Hola"}, {"sv_SE", "Hej"}, {"zh-Hant", "你好"}});
  EXPECT_EQ(t.in(*Culture::invariant()), "Hello");
  EXPECT_EQ(t.in(*Culture::get("es-ES")), "Hola");
  EXPECT_EQ(t.in(*Culture::get("sv-SE")), "Hej");
  EXPECT_EQ(t.in(*Culture::get("zh-TW")), "你好");
  EXPECT_EQ(t.in(*Culture::get("it-IT")), "Hello");
  // zh alone names no script: it is not taken for Traditional Chinese.
  EXPECT_EQ(LocalizedText::table({{"en", "Hello"}, {"zh", "你好"}}).in(*Culture::get("zh-TW")), "Hello");
}

TEST(LocalizedText, PlainStringsGoThroughTheCatalog) {
  EXPECT_EQ(LocalizedText::plain("Rule").in(*Culture::get("nl-NL")), "Regel");
  EXPECT_EQ(LocalizedText::plain("My own rule").in(*Culture::get("nl-NL")), "My own rule");
}

TEST(LocalizedText, BadTablesAreClearErrors) {
  try {
    LocalizedText::table({{"es", "Hola"}});
    ADD_FAILURE() << "a table without en was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "a table of translations needs an en entry, the English fallback");
  }
  try {
    LocalizedText::table({{"en", "Hello"}, {"1x", "?"}});
    ADD_FAILURE() << "a bad key was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "'1x' is not a language or culture name (en, es, es-ES, zh-TW)");
  }
}

}  // namespace
}  // namespace mailflow
