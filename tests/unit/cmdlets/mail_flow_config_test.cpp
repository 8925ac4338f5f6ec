#include "cmdlets/mail_flow_config.h"

#include "locale/messages.h"
#include "reports/report_fixture.h"

namespace mailflow::testing {

using MailFlowConfig = ReportFixture;

TEST_F(MailFlowConfig, DefaultsUntilSet) {
  auto out = run("Get-MailFlowConfig");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(names(out[0]), (std::vector<std::string>{"MaxReportDays", "OrganizationDomains", "InternalNetworks",
                                                     "Culture", "NoTlsThreshold", "Tls10Threshold"}));
  EXPECT_EQ(rows(out)[0], "30|{}|{127.0.0.0/8, ::1/128}|en|25|50");
}

TEST_F(MailFlowConfig, SetPersistsInTheStore) {
  run("Set-MailFlowConfig", params({{"MaxReportDays", 90}, {"Tls10Threshold", 33.5}}));
  EXPECT_EQ(rows(run("Get-MailFlowConfig"))[0], "90|{}|{127.0.0.0/8, ::1/128}|en|25|33.5");
  EXPECT_EQ(store_->get_config("MaxReportDays"), "90");
  EXPECT_EQ(max_report_days(*store_), 90);
  // Reports accept the longer range now.
  add_example_traffic();
  EXPECT_EQ(run("Get-ConnectorReport", params({{"Days", 90}, {"Connector", "OnPrem-Relay"}})).size(), 90u);
  EXPECT_EQ(error_of("Get-TlsUsage", params({{"Days", 91}})).substr(0, 44),
            "-Days 91 is longer than the 90-day maximum (");
}

TEST_F(MailFlowConfig, SmallerMaximumRefusesLongerRanges) {
  run("Set-MailFlowConfig", params({{"MaxReportDays", 7}}));
  EXPECT_TRUE(run("Get-ConnectorReport").empty());  // the default week still fits
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"StartDate", date("2026-11-15")}})),
            "the range 2026-11-15 to 2026-11-22 is 8 days, longer than the 7-day maximum "
            "(MaxReportDays; change it with Set-MailFlowConfig -MaxReportDays N)");
}

TEST_F(MailFlowConfig, BadValuesChangeNothing) {
  EXPECT_EQ(error_of("Set-MailFlowConfig", params({{"MaxReportDays", 0}, {"NoTlsThreshold", 10.0}})),
            "-MaxReportDays 0 is out of range: give 1 to 3660");
  EXPECT_EQ(rows(run("Get-MailFlowConfig"))[0], "30|{}|{127.0.0.0/8, ::1/128}|en|25|50");
  EXPECT_EQ(error_of("Set-MailFlowConfig", params({{"MaxReportDays", 2.5}})),
            "-MaxReportDays needs a whole number, not 2.5");
  EXPECT_EQ(error_of("Set-MailFlowConfig", params({{"NoTlsThreshold", "ten"}})),
            "-NoTlsThreshold needs a number, not 'ten'");
  EXPECT_EQ(error_of("Set-MailFlowConfig"),
            "Set-MailFlowConfig: give at least one setting to change (-MaxReportDays, "
            "-OrganizationDomains, -InternalNetworks, -Culture, -NoTlsThreshold, -Tls10Threshold)");
  EXPECT_EQ(error_of("Set-MailFlowConfig", params({{"Colour", "blue"}})),
            "Set-MailFlowConfig has no setting 'Colour'");
}

TEST_F(MailFlowConfig, OrganisationBoundaryIsStoredAsLists) {
  run("Set-MailFlowConfig",
      params({{"OrganizationDomains", Value(Array{Value("contoso.com"), Value("*.contoso.com")})},
              {"InternalNetworks", Value(Array{Value("10.0.0.0/8"), Value(" 2001:db8::/32 ")})}}));
  EXPECT_EQ(rows(run("Get-MailFlowConfig"))[0],
            "30|{contoso.com, *.contoso.com}|{10.0.0.0/8, 2001:db8::/32}|en|25|50");
  EXPECT_EQ(store_->get_config("InternalNetworks"), "10.0.0.0/8,2001:db8::/32");
  // One value (no comma) is a one-item list.
  run("Set-MailFlowConfig", params({{"OrganizationDomains", "fabrikam.com"}}));
  EXPECT_EQ(store_->get_config("OrganizationDomains"), "fabrikam.com");
  // $null clears: the loopback default is in force again.
  run("Set-MailFlowConfig", params({{"InternalNetworks", Value()}}));
  EXPECT_EQ(rows(run("Get-MailFlowConfig"))[0], "30|{fabrikam.com}|{}|en|25|50");
  EXPECT_EQ(store_->get_config("InternalNetworks"), "");
}

TEST_F(MailFlowConfig, BadBoundaryValuesAreRefusedWhole) {
  run("Set-MailFlowConfig", params({{"InternalNetworks", "192.168.0.0/16"}}));
  EXPECT_EQ(error_of("Set-MailFlowConfig",
                     params({{"MaxReportDays", 60},
                             {"InternalNetworks", Value(Array{Value("10.0.0.0/8"), Value("10.0.0.1/8")})}})),
            "-InternalNetworks: '10.0.0.1/8' has host bits set; the range is 10.0.0.0/8");
  EXPECT_EQ(error_of("Set-MailFlowConfig", params({{"InternalNetworks", "10.300.0.0/16"}})).substr(0, 19),
            "-InternalNetworks: ");
  EXPECT_EQ(error_of("Set-MailFlowConfig", params({{"OrganizationDomains", "contoso..com"}})).substr(0, 22),
            "-OrganizationDomains: ");
  // Nothing of the refused calls was stored.
  EXPECT_EQ(store_->get_config("InternalNetworks"), "192.168.0.0/16");
  EXPECT_EQ(max_report_days(*store_), 30);
  EXPECT_FALSE(store_->get_config("OrganizationDomains"));
}

TEST_F(MailFlowConfig, CorruptStoredMaximumIsReported) {
  store_->set_config("MaxReportDays", "lots");
  EXPECT_EQ(error_of("Get-TlsUsage"),
            "setting MaxReportDays in the store has the unreadable value 'lots'; set it again "
            "with Set-MailFlowConfig -MaxReportDays");
  EXPECT_EQ(error_of("Get-MailFlowConfig"),
            "setting MaxReportDays in the store has the unreadable value 'lots'; set it again "
            "with Set-MailFlowConfig -MaxReportDays");
}

TEST(ConfigSettings, EncodeEveryType) {
  // StringArray settings (the postfix engineer's OrganizationDomains) round-trip as lists.
  TraceStore store(fresh_db_path("config-types"));
  ParamSpec list;
  list.name = "OrganizationDomains";
  list.type = ParamType::StringArray;
  write_setting(store, list, Value(Array{Value("contoso.com"), Value("fabrikam.com")}));
  EXPECT_EQ(read_setting(store, list)->to_display(), "{contoso.com, fabrikam.com}");
  ParamSpec number;
  number.name = "X";
  number.type = ParamType::Double;
  write_setting(store, number, Value(0.1));
  EXPECT_EQ(read_setting(store, number)->as_double(), 0.1);
}

// Culture: validated and canonicalised before it is stored, in force from the
// next command (the process default), $null back to the environment's.
TEST_F(MailFlowConfig, CultureIsValidatedStoredAndInForce) {
  struct Restore {
    ~Restore() { set_default_culture(nullptr); }
  } restore;
  run("Set-MailFlowConfig", params({{"Culture", "es_es"}}));
  EXPECT_EQ(store_->get_config("Culture"), "es-ES");
  EXPECT_EQ(current_culture().name(), "es-ES");
  EXPECT_EQ(rows(run("Get-MailFlowConfig"))[0], "30|{}|{127.0.0.0/8, ::1/128}|es-ES|25|50");
  EXPECT_EQ(culture_in_force(*store_, [](const char*) -> const char* { return nullptr; })->name(), "es-ES");

  EXPECT_EQ(error_of("Set-MailFlowConfig", params({{"Culture", "fr-FR"}, {"MaxReportDays", 60}})),
            "-Culture 'fr-FR' is not a supported culture; use one of en, es-ES, sv-SE, zh-TW, it-IT, nl-NL");
  EXPECT_EQ(store_->get_config("Culture"), "es-ES");  // all or nothing
  EXPECT_EQ(max_report_days(*store_), 30);

  run("Set-MailFlowConfig", params({{"Culture", Value()}}));
  EXPECT_EQ(store_->get_config("Culture"), "");
  auto env = [](const char* name) -> const char* {
    return std::string(name) == "LANG" ? "nl_NL.UTF-8" : nullptr;
  };
  EXPECT_EQ(culture_in_force(*store_, env)->name(), "nl-NL");
}

TEST_F(MailFlowConfig, CorruptStoredCultureIsReported) {
  store_->set_config("Culture", "xx-XX");
  try {
    culture_in_force(*store_, [](const char*) -> const char* { return nullptr; });
    ADD_FAILURE() << "a corrupt Culture was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "setting Culture in the store has the unreadable value 'xx-XX'; set it again with "
              "Set-MailFlowConfig -Culture");
  }
}

}  // namespace mailflow::testing
