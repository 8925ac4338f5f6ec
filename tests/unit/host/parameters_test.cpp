// The one parameter builder and the shared parameter sets (host/parameters.h),
// and dynamic parameters (CmdletSpec::dynamic_parameters).
#include <gtest/gtest.h>

#include "core/error.h"
#include "host/parameters.h"
#include "host/session.h"

namespace mailflow {
namespace {

std::vector<std::string> names(const std::vector<ParamSpec>& params) {
  std::vector<std::string> out;
  for (const ParamSpec& p : params) out.push_back(p.name);
  return out;
}

TEST(Parameters, ParamSetsEveryField) {
  ParamSpec p = Param::Enum("View", {"MailFlow", "TlsUsage"}, "which view")
                    .default_value(Value("MailFlow"))
                    .position(1)
                    .mandatory()
                    .aliases({"V"});
  EXPECT_EQ(p.name, "View");
  EXPECT_EQ(p.type, ParamType::Enum);
  EXPECT_EQ(p.help, "which view");
  EXPECT_EQ(p.validate_set, (std::vector<std::string>{"MailFlow", "TlsUsage"}));
  EXPECT_EQ(p.default_value->as_string(), "MailFlow");
  EXPECT_EQ(p.position, 1);
  EXPECT_TRUE(p.mandatory);
  EXPECT_EQ(p.aliases, (std::vector<std::string>{"V"}));
  ParamSpec d = Param::Date("EndDate", "last day");
  EXPECT_EQ(d.type, ParamType::Date);
  EXPECT_EQ(d.completion, Completion::Date);
  ParamSpec n = Param::Int("Width", "columns").min(20).max(1000);
  EXPECT_EQ(*n.min, 20);
  EXPECT_EQ(*n.max, 1000);
}

TEST(Parameters, SharedSetsExpandInOrder) {
  auto params = declare_parameters({Param::String("Path", "file").position(0), ParameterSet::Range,
                                    ParameterSet::Direction, ParameterSet::Connector,
                                    Param::Switch("Force", "replace")});
  EXPECT_EQ(names(params), (std::vector<std::string>{"Path", "StartDate", "EndDate", "Days", "Direction",
                                                     "Connector", "NoConnector", "Force"}));
  EXPECT_EQ(params[4].validate_set, (std::vector<std::string>{"Inbound", "Outbound"}));
  EXPECT_EQ(params[5].completion, Completion::Connector);
  EXPECT_EQ(params[6].type, ParamType::Switch);
  EXPECT_EQ(*params[3].min, 1);
  EXPECT_NE(params[3].help.find("default 7"), std::string::npos);
}

TEST(Parameters, SetOptionsGiveALengthAndAPosition) {
  auto params = declare_parameters({ParamEntry(ParameterSet::Connector).position(0),
                                    ParamEntry(ParameterSet::Range).default_days(28)});
  EXPECT_EQ(params[0].name, "Connector");
  EXPECT_EQ(params[0].position, 0);
  EXPECT_EQ(params[1].position, -1);
  EXPECT_NE(params[4].help.find("default 28"), std::string::npos);
}

TEST(Parameters, ANameOrAliasDeclaredTwiceIsRefused) {
  try {
    declare_parameters({ParameterSet::Range, Param::Int("Days", "again")}, "Get-X");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "Get-X: parameter 'Days' is declared twice");
  }
  EXPECT_THROW(declare_parameters({Param::String("Name", "n"), Param::String("Identity", "i").aliases({"name"})}),
               Error);
  // Two parameter sets may share a position (Where-Object's FilterScript and Property).
  EXPECT_NO_THROW(declare_parameters({Param::Script("A", "").position(0), Param::String("B", "").position(0)}));
}

TEST(Parameters, SetNamesAreCaseInsensitive) {
  EXPECT_EQ(parameter_set_named("range"), ParameterSet::Range);
  EXPECT_EQ(parameter_set_named("CONNECTOR"), ParameterSet::Connector);
  EXPECT_EQ(parameter_set_named("Dates"), std::nullopt);
  EXPECT_EQ(parameter_set_name(ParameterSet::Direction), "Direction");
}

TEST(DynamicParameters, AreAskedForAndNeverStored) {
  CmdletSpec spec;
  spec.name = "Get-X";
  spec.parameters = declare_parameters({Param::Int("Days", "days")});
  Session session;
  EXPECT_EQ(with_dynamic_parameters(spec, session).get(), &spec);  // nothing to add: the spec itself
  int asked = 0;
  spec.dynamic_parameters = [&asked](const Session&) {
    ++asked;
    return declare_parameters({Param::Double("Threshold", "t"), Param::Double("days", "clashes")});
  };
  auto view = with_dynamic_parameters(spec, session);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(names(view->parameters), (std::vector<std::string>{"Days", "Threshold"}));
  EXPECT_EQ(view->parameter("Days")->type, ParamType::Int);  // the declared one wins
  EXPECT_EQ(spec.parameters.size(), 1u);
}

}  // namespace
}  // namespace mailflow
