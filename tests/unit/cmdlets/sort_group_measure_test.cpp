#include <gtest/gtest.h>

#include "shell/shell_fixture.h"

namespace mailflow::testing {
namespace {

class UtilityCmdlets : public ::testing::Test, public ShellFixture {
 protected:
  void SetUp() override {
    auto schema = std::make_shared<const Schema>(std::vector<std::string>{"Connector", "TlsVersion", "Percent"});
    auto row = [&](Value c, const char* tls, double pct) { return Value(Record(schema, {c, Value(tls), Value(pct)})); };
    lua.vars["u"] = {row(Value("fabrikam"), "TLS1.2", 40), row(Value("Contoso"), "TLS1.0", 60),
                     row(Value(), "None", 100), row(Value("Fabrikam"), "TLS1.0", 60),
                     row(Value("contoso"), "TLS1.2", 5.5)};
  }
};

TEST_F(UtilityCmdlets, SortByOneKey) {
  EXPECT_EQ(lines("$u | Sort-Object Percent | select -ExpandProperty Percent"), "5.5\n40\n60\n60\n100\n");
  EXPECT_EQ(lines("$u | sort Percent -Descending | select -ExpandProperty Percent"), "100\n60\n60\n40\n5.5\n");
}

TEST_F(UtilityCmdlets, SortBySeveralKeysStableAndCaseInsensitive) {
  EXPECT_EQ(lines("$u | sort Connector,Percent | select Connector,Percent"),
            "@{Connector=; Percent=100}\n"
            "@{Connector=contoso; Percent=5.5}\n"
            "@{Connector=Contoso; Percent=60}\n"
            "@{Connector=fabrikam; Percent=40}\n"
            "@{Connector=Fabrikam; Percent=60}\n");
  EXPECT_EQ(lines("$u | sort Connector -Descending | select -ExpandProperty Percent"),
            "40\n60\n60\n5.5\n100\n");  // equal keys keep input order
}

TEST_F(UtilityCmdlets, SortUnique) {
  EXPECT_EQ(lines("$u | sort Connector -Unique | select -ExpandProperty Connector"), "\nContoso\nfabrikam\n");
  lua.vars["n"] = {Value(3), Value(1), Value(2), Value(1)};
  EXPECT_EQ(lines("$n | sort -Unique"), "1\n2\n3\n");
}

TEST_F(UtilityCmdlets, GroupCountsNamesAndMembers) {
  auto groups = invoke("$u | Group-Object Connector");
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].to_display(), "@{Count=1; Name=; Group={@{Connector=; TlsVersion=None; Percent=100}}}");
  EXPECT_EQ(groups[1].to_display(),
            "@{Count=2; Name=Contoso; Group={@{Connector=Contoso; TlsVersion=TLS1.0; Percent=60}, "
            "@{Connector=contoso; TlsVersion=TLS1.2; Percent=5.5}}}");
  EXPECT_EQ(groups[2].as_record().get("Name")->to_display(), "fabrikam");
  EXPECT_EQ(lines("$u | group TlsVersion,Percent -NoElement"),
            "@{Count=1; Name=None, 100}\n@{Count=2; Name=TLS1.0, 60}\n"
            "@{Count=1; Name=TLS1.2, 5.5}\n@{Count=1; Name=TLS1.2, 40}\n");
}

TEST_F(UtilityCmdlets, MeasureCountsAndStatistics) {
  EXPECT_EQ(lines("$u | Measure-Object"), "@{Count=5; Average=; Sum=; Maximum=; Minimum=; Property=}\n");
  EXPECT_EQ(lines("$u | measure Percent -Sum -Average -Minimum -Maximum"),
            "@{Count=5; Average=53.1; Sum=265.5; Maximum=100; Minimum=5.5; Property=Percent}\n");
  EXPECT_EQ(lines("$u | measure Percent,Connector -Maximum"),
            "@{Count=5; Average=; Sum=; Maximum=100; Minimum=; Property=Percent}\n"
            "@{Count=4; Average=; Sum=; Maximum=fabrikam; Minimum=; Property=Connector}\n");
  lua.vars["n"] = {Value(3), Value(1), Value(2)};
  EXPECT_EQ(lines("$n | measure -Sum -Average"), "@{Count=3; Average=2; Sum=6; Maximum=; Minimum=; Property=}\n");
  lua.vars["empty"] = {};
  EXPECT_EQ(lines("$empty | measure -Sum"), "@{Count=0; Average=; Sum=0; Maximum=; Minimum=; Property=}\n");
}

TEST_F(UtilityCmdlets, MeasureErrors) {
  EXPECT_EQ(error_of("$u | measure Connector -Sum"),
            "Input object \"fabrikam\" of property \"Connector\" is not numeric.\nAt line:1 char:6\n"
            "+ $u | measure Connector -Sum\n+      ^");
  EXPECT_EQ(error_of("$u | measure Nope"),
            "The property \"Nope\" cannot be found in the input for any objects.\nAt line:1 char:6\n"
            "+ $u | measure Nope\n+      ^");
}

}  // namespace
}  // namespace mailflow::testing
