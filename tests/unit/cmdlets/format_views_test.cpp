// Format-Table and Format-List as cmdlets: parameters, terminal width and
// locale are honoured (the layout itself is tested in shell/format_test).
#include <gtest/gtest.h>

#include "cmdlets/cmdlet_fixture.h"
#include "core/error.h"

namespace mailflow {
namespace {

using testing::params;
using testing::strings;
using testing::tls_row;
using Lines = std::vector<std::string>;

class FormatViews : public testing::CmdletFixture {};

std::vector<Value> usage() {
  return {tls_row("Inbound", Value("Contoso Partner"), "TLS1.2", 1200, 60.5),
          tls_row("Outbound", Value(nullptr), "None", 7, 0.35)};
}

TEST_F(FormatViews, FormatTableDefaults) {
  EXPECT_EQ(run("Format-Table", {}, usage()),
            (Lines{"Direction Connector       TlsVersion Messages Percent",
                   "--------- ---------       ---------- -------- -------",
                   "Inbound   Contoso Partner TLS1.2         1200    60.5",
                   "Outbound  (none)          None              7    0.35"}));
}

TEST_F(FormatViews, FormatTableAliasPropertyAndEmptyInput) {
  EXPECT_EQ(registry_.find("ft"), registry_.find("Format-Table"));
  EXPECT_EQ(run("ft", params({{"Property", strings({"Connector", "Percent"})}}), usage()),
            (Lines{"Connector       Percent", "---------       -------", "Contoso Partner    60.5",
                   "(none)             0.35"}));
  EXPECT_TRUE(run("Format-Table", {}, {}).empty());
}

TEST_F(FormatViews, FormatTableFitsTheTerminalWidthAndLocale) {
  session_.terminal_width = 40;
  Lines utf8 = run("Format-Table", {}, usage());
  EXPECT_EQ(utf8, (Lines{"Direction Connector  TlsVersion Messages",
                         "--------- ---------  ---------- --------",
                         "Inbound   Contoso P… TLS1.2         1200",
                         "Outbound  (none)     None              7",
                         "(1 column did not fit the width of 40: Percent; use Format-List or "
                         "Format-Table -Property)"}));
  setenv("LC_ALL", "C", 1);
  Lines ascii = run("Format-Table", {}, usage());
  EXPECT_EQ(ascii[2], "Inbound   Contoso... TLS1.2         1200");
}

TEST_F(FormatViews, FormatTableWithoutAutoSizeCutsCellsAfterTheLayoutRows) {
  std::vector<Value> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back(make_record({"Name"}, {Value("ab")}));
  rows.push_back(make_record({"Name"}, {Value("abcdef")}));
  Lines streamed = run("Format-Table", {}, rows);
  EXPECT_EQ(streamed.back(), "abc\u2026");  // the Name header set the width
  Lines autosized = run("Format-Table", params({{"AutoSize", Value(true)}}), rows);
  EXPECT_EQ(autosized.front(), "Name");
  EXPECT_EQ(autosized.back(), "abcdef");
}

TEST_F(FormatViews, FormatTableUnknownPropertyIsAnError) {
  EXPECT_ERROR_MESSAGE(run("Format-Table", params({{"Property", strings({"Cipher"})}}), usage()),
                       "Format-Table: -Property 'Cipher' is not a property of the input records "
                       "(they have: Direction, Connector, TlsVersion, Messages, Percent)");
}

TEST_F(FormatViews, FormatList) {
  EXPECT_EQ(registry_.find("fl"), registry_.find("Format-List"));
  EXPECT_EQ(run("Format-List", params({{"Property", strings({"Connector", "Tls*"})}}), usage()),
            (Lines{"Connector  : Contoso Partner", "TlsVersion : TLS1.2", "",
                   "Connector  : (none)", "TlsVersion : None"}));
  EXPECT_ERROR_MESSAGE(run("Format-List", params({{"Property", strings({"Nope"})}}), usage()),
                       "Format-List: -Property 'Nope' is not a property of the input records "
                       "(they have: Direction, Connector, TlsVersion, Messages, Percent)");
}

}  // namespace
}  // namespace mailflow
