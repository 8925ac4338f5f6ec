#include "shell/format.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace mailflow {
namespace {

using Lines = std::vector<std::string>;

Value rec(std::vector<std::string> names, std::vector<Value> values) {
  return make_record(names, std::move(values));
}

std::vector<Value> usage_rows() {
  return {
      rec({"Direction", "Connector", "TlsVersion", "Messages", "Percent"},
          {"Inbound", "Contoso Partner", "TLS1.2", 1200, 60.5}),
      rec({"Direction", "Connector", "TlsVersion", "Messages", "Percent"},
          {"Inbound", nullptr, "None", 7, 0.35}),
  };
}

TEST(FormatTable, HeaderDashesAndRightAlignedNumbers) {
  EXPECT_EQ(format_table(usage_rows(), {}),
            (Lines{"Direction Connector       TlsVersion Messages Percent",
                   "--------- ---------       ---------- -------- -------",
                   "Inbound   Contoso Partner TLS1.2         1200    60.5",
                   "Inbound   (none)          None              7    0.35"}));
}

TEST(FormatTable, EmptyInputPrintsNothing) {
  EXPECT_TRUE(format_table({}, {}).empty());
  EXPECT_TRUE(format_list({}, {}).empty());
}

TEST(FormatTable, ScalarsPrintOnePerLine) {
  EXPECT_EQ(format_table({Value("a"), Value(42), Value(), Value(2.5)}, {}),
            (Lines{"a", "42", "2.5"}));
}

TEST(FormatTable, NilShowsAsNoneAndMissingPropertyAsEmpty) {
  std::vector<Value> rows = {rec({"Name", "Connector"}, {"a", nullptr}), rec({"Name"}, {"b"})};
  EXPECT_EQ(format_table(rows, {}),
            (Lines{"Name Connector", "---- ---------", "a    (none)", "b"}));
}

TEST(FormatTable, FirstRecordDecidesTheColumns) {
  std::vector<Value> rows = {rec({"A"}, {1}), rec({"B", "A"}, {"x", 22})};
  EXPECT_EQ(format_table(rows, {}), (Lines{" A", " -", " 1", "22"}));
}

TEST(FormatTable, PropertyListChoosesAndOrdersColumnsWithWildcards) {
  TableOptions o;
  o.properties = {"messages", "Tls*"};
  EXPECT_EQ(format_table(usage_rows(), o),
            (Lines{"Messages TlsVersion", "-------- ----------", "    1200 TLS1.2", "       7 None"}));
}

TEST(FormatTable, UnknownPropertyIsAnErrorNamingIt) {
  TableOptions o;
  o.properties = {"Mesages"};
  try {
    format_table(usage_rows(), o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "PropertyNotFound");
    EXPECT_EQ(std::string(e.what()),
              "Format-Table: -Property 'Mesages' is not a property of the input records (they have: "
              "Direction, Connector, TlsVersion, Messages, Percent)");
    EXPECT_NE(std::string(e.what()).find("Messages"), std::string::npos) << e.what();
  }
}

TEST(FormatTable, WideCellsAreCutWithAnEllipsisToFitTheWidth) {
  std::vector<Value> rows = {
      rec({"Id", "Subject"}, {1, "Quarterly results for the northern region"}),
      rec({"Id", "Subject"}, {2, "Hi"}),
  };
  TableOptions o;
  o.max_width = 20;
  EXPECT_EQ(format_table(rows, o),
            (Lines{"Id Subject", "-- -------", " 1 Quarterly result\u2026", " 2 Hi"}));
  o.unicode = false;
  EXPECT_EQ(format_table(rows, o),
            (Lines{"Id Subject", "-- -------", " 1 Quarterly resu...", " 2 Hi"}));
  for (const std::string& line : format_table(rows, o)) EXPECT_LE(line.size(), 20u);
}

TEST(FormatTable, WidestColumnsShrinkFirst) {
  std::vector<Value> rows = {rec({"Short", "Long1", "Long2"},
                                 {"abc", std::string(30, 'x'), std::string(20, 'y')})};
  TableOptions o;
  o.max_width = 40;
  o.unicode = false;
  Lines out = format_table(rows, o);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2], "abc   " + std::string(14, 'x') + "... " + std::string(13, 'y') + "...");
  EXPECT_EQ(out[2].size(), 40u);
}

TEST(FormatTable, ColumnsThatCannotFitAreDroppedAndNamed) {
  std::vector<Value> rows = {rec({"A", "B", "C"}, {std::string(12, 'a'), std::string(12, 'b'),
                                                   std::string(12, 'c')})};
  TableOptions o;
  o.max_width = 22;
  o.unicode = false;
  EXPECT_EQ(format_table(rows, o),
            (Lines{"A           B", "-           -", "aaaaaaaa... bbbbbbb...",
                   "(1 column did not fit the width of 22: C; use Format-List or Format-Table "
                   "-Property)"}));
}

TEST(FormatTable, ControlCharactersDoNotBreakTheGrid) {
  std::vector<Value> rows = {rec({"Subject", "N"}, {"two\nlines\tand tab", 1})};
  EXPECT_EQ(format_table(rows, {}),
            (Lines{"Subject           N", "-------           -", "two lines and tab 1"}));
}

TEST(FormatTable, UnicodeWidthCountsCodePoints) {
  std::vector<Value> rows = {rec({"Name", "N"}, {"Ærø ünïcødé", 1})};
  EXPECT_EQ(format_table(rows, {}),
            (Lines{"Name        N", "----        -", "Ærø ünïcødé 1"}));
  // A cut never leaves a space before the ellipsis.
  EXPECT_EQ(truncate_display("Ærø ünïcødé", 5, true), "Ærø\u2026");
  EXPECT_EQ(truncate_display("Ærøx", 3, true), "Ær\u2026");
}

TEST(FormatTable, WideCharactersTakeTwoColumns) {
  // 東京 Relay: CJK characters are two columns wide, so the column is 10 wide
  // and the number column stays aligned under its header.
  std::vector<Value> rows = {rec({"Connector", "N"}, {"\xE6\x9D\xB1\xE4\xBA\xAC Relay", 1}),
                             rec({"Connector", "N"}, {"Fabrikam", 22})};
  EXPECT_EQ(format_table(rows, {}), (Lines{"Connector   N", "---------   -",
                                           "\xE6\x9D\xB1\xE4\xBA\xAC Relay  1", "Fabrikam   22"}));
  // A cut never splits a wide character: 4 columns hold 東 and the ellipsis.
  EXPECT_EQ(truncate_display("\xE6\x9D\xB1\xE4\xBA\xAC Relay", 4, true), "\xE6\x9D\xB1\u2026");
}

TEST(FormatTable, StreamingLayoutCutsLaterWiderCells) {
  std::vector<Value> rows = {rec({"Name", "Size"}, {"ab", 5}), rec({"Name", "Size"}, {"abcdefgh", 123456})};
  TableOptions o;
  o.layout_rows = 1;
  o.unicode = false;
  auto stream = table_stream(std::make_unique<VectorStream>(rows), o);
  std::vector<std::string> lines;
  while (auto v = stream->next()) lines.push_back(v->as_string());
  EXPECT_EQ(lines, (Lines{"Name Size", "---- ----", "ab      5", "a... 1...", }));
}

TEST(FormatTable, DatesAndBooleans) {
  std::vector<Value> rows = {rec({"Received", "Ok"}, {DateTime{0}, true})};
  EXPECT_EQ(format_table(rows, {}),
            (Lines{"Received             Ok", "--------             --", "1970-01-01T00:00:00Z True"}));
}

TEST(FormatList, AlignedColonsAndBlocks) {
  EXPECT_EQ(format_list(usage_rows(), {}),
            (Lines{"Direction  : Inbound", "Connector  : Contoso Partner", "TlsVersion : TLS1.2",
                   "Messages   : 1200", "Percent    : 60.5", "", "Direction  : Inbound",
                   "Connector  : (none)", "TlsVersion : None", "Messages   : 7", "Percent    : 0.35"}));
}

TEST(FormatList, PropertyListAndMultiLineValues) {
  ListOptions o;
  o.properties = {"Text", "N*"};
  std::vector<Value> rows = {rec({"Name", "Text"}, {"r1", "line one\r\nline two"})};
  EXPECT_EQ(format_list(rows, o),
            (Lines{"Text : line one", "       line two", "Name : r1"}));
  o.properties = {"Nope"};
  EXPECT_THROW(format_list(rows, o), Error);
}

TEST(FormatList, EachRecordShowsItsOwnProperties) {
  std::vector<Value> rows = {rec({"A"}, {1}), Value("between"), rec({"Longer"}, {2})};
  EXPECT_EQ(format_list(rows, {}), (Lines{"A : 1", "between", "", "Longer : 2"}));
}

TEST(Wildcard, Matches) {
  EXPECT_TRUE(wildcard_match("Get-*", "get-tlsusage"));
  EXPECT_TRUE(wildcard_match("*Connector*", "New-InboundConnector"));
  EXPECT_TRUE(wildcard_match("?et-Help", "Get-Help"));
  EXPECT_TRUE(wildcard_match("*", ""));
  EXPECT_FALSE(wildcard_match("Get-*", "Set-Item"));
  EXPECT_FALSE(wildcard_match("a*b", "acbx"));
  EXPECT_TRUE(wildcard_match("a*b*c", "axxbyyc"));
}

}  // namespace
}  // namespace mailflow
