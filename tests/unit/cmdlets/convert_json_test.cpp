// ConvertTo-Json: always an array; exact numbers, dates, nulls and escaping.
#include <gtest/gtest.h>

#include "cmdlets/cmdlet_fixture.h"
#include <cmath>
#include <limits>

#include "shell/json_text.h"

namespace mailflow {
namespace {

using testing::params;
using testing::tls_row;
using Lines = std::vector<std::string>;

class ConvertToJson : public testing::CmdletFixture {};

TEST_F(ConvertToJson, ArrayOfObjectsIndented) {
  EXPECT_EQ(run("ConvertTo-Json", {},
                {tls_row("Inbound", Value("Contoso"), "TLS1.2", 1200, 60.5),
                 tls_row("Outbound", Value(nullptr), "None", 7, 0.35)}),
            (Lines{"[", "  {", "    \"Direction\": \"Inbound\",", "    \"Connector\": \"Contoso\",",
                   "    \"TlsVersion\": \"TLS1.2\",", "    \"Messages\": 1200,", "    \"Percent\": 60.5",
                   "  },", "  {", "    \"Direction\": \"Outbound\",", "    \"Connector\": null,",
                   "    \"TlsVersion\": \"None\",", "    \"Messages\": 7,", "    \"Percent\": 0.35", "  }",
                   "]"}));
}

TEST_F(ConvertToJson, OneOrZeroRecordsStillMakeAnArray) {
  EXPECT_EQ(run("ConvertTo-Json", {}, {}), (Lines{"[]"}));
  EXPECT_EQ(run("ConvertTo-Json", params({{"Compress", Value(true)}}), {}), (Lines{"[]"}));
  EXPECT_EQ(run("ConvertTo-Json", params({{"Compress", Value(true)}}),
                {make_record({"Name"}, {Value("a")})}),
            (Lines{"[{\"Name\":\"a\"}]"}));
  EXPECT_EQ(run("ConvertTo-Json", {}, {make_record({}, {})}), (Lines{"[", "  {}", "]"}));
}

TEST_F(ConvertToJson, CompressWritesOneLine) {
  EXPECT_EQ(run("ConvertTo-Json", params({{"Compress", Value(true)}}),
                {tls_row("Inbound", Value(nullptr), "TLS1.3", 3, 100.0), Value("x"), Value(2)}),
            (Lines{"[{\"Direction\":\"Inbound\",\"Connector\":null,\"TlsVersion\":\"TLS1.3\","
                   "\"Messages\":3,\"Percent\":100},\"x\",2]"}));
}

TEST_F(ConvertToJson, DatesBooleansAndNumbers) {
  Value r = make_record({"Received", "Date", "Ok", "Big", "Third", "Tiny", "Nan"},
                        {Value(DateTime{*parse_instant("2026-11-16T08:15:02Z")}),
                         Value(Date{*parse_date("2026-11-16")}), Value(false),
                         Value(std::int64_t{9007199254740993}), Value(1.0 / 3.0), Value(1e-7),
                         Value(std::nan(""))});
  EXPECT_EQ(run("ConvertTo-Json", params({{"Compress", Value(true)}}), {r}),
            (Lines{"[{\"Received\":\"2026-11-16T08:15:02Z\",\"Date\":\"2026-11-16\",\"Ok\":false,"
                   "\"Big\":9007199254740993,\"Third\":0.3333333333333333,\"Tiny\":1e-07,"
                   "\"Nan\":null}]"}));
}

TEST_F(ConvertToJson, StringEscaping) {
  EXPECT_EQ(json_string("say \"hi\"\\ now"), "\"say \\\"hi\\\"\\\\ now\"");
  EXPECT_EQ(json_string("a\nb\tc\r\b\f"), "\"a\\nb\\tc\\r\\b\\f\"");
  EXPECT_EQ(json_string(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(json_string(std::string("nul\0x", 5)), "\"nul\\u0000x\"");
  EXPECT_EQ(json_string("Grüße, 日本, 😀"), "\"Grüße, 日本, 😀\"");
  // Invalid UTF-8 (a Latin-1 byte, a truncated sequence, a surrogate) never
  // reaches the output as such.
  EXPECT_EQ(json_string("caf\xe9"), "\"caf\\ufffd\"");
  EXPECT_EQ(json_string("\xe6\x97"), "\"\\ufffd\\ufffd\"");
  EXPECT_EQ(json_string("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
}

TEST_F(ConvertToJson, DepthLimitsNesting) {
  Value inner = make_record({"C"}, {Value(Array{Value(1), Value(2)})});
  Value middle = make_record({"B"}, {inner});
  Value outer = make_record({"A"}, {middle});
  // Default depth 2: outer (0), middle (1), inner (2) expand; the array in
  // inner (3) is written as its display text.
  EXPECT_EQ(run("ConvertTo-Json", params({{"Compress", Value(true)}}), {outer}),
            (Lines{"[{\"A\":{\"B\":{\"C\":\"{1, 2}\"}}}]"}));
  EXPECT_EQ(run("ConvertTo-Json", params({{"Compress", Value(true)}, {"Depth", Value(3)}}), {outer}),
            (Lines{"[{\"A\":{\"B\":{\"C\":[1,2]}}}]"}));
  EXPECT_EQ(run("ConvertTo-Json", params({{"Compress", Value(true)}, {"Depth", Value(0)}}), {outer}),
            (Lines{"[{\"A\":\"@{B=@{C={1, 2}}}\"}]"}));
  EXPECT_EQ(run("ConvertTo-Json", params({{"Depth", Value(3)}}), {inner}),
            (Lines{"[", "  {", "    \"C\": [", "      1,", "      2", "    ]", "  }", "]"}));
}

TEST_F(ConvertToJson, DeclaresDepthRange) {
  const ParamSpec* depth = registry_.find("ConvertTo-Json")->parameter("Depth");
  ASSERT_NE(depth, nullptr);
  EXPECT_EQ(*depth->min, 0);
  EXPECT_EQ(*depth->max, 100);
  EXPECT_EQ(depth->default_value->as_int(), 2);
}

TEST(JsonNumber, ShortestRoundTrip) {
  EXPECT_EQ(json_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(json_number(60.0), "60");
  EXPECT_EQ(json_number(-2.5), "-2.5");
  EXPECT_EQ(json_number(1e21), "1e+21");
  EXPECT_EQ(json_number(std::numeric_limits<double>::infinity()), "null");
}

}  // namespace
}  // namespace mailflow
