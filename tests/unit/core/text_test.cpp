#include "core/text.h"

#include <gtest/gtest.h>

namespace mailflow {
namespace {

TEST(Utf8, SequenceLengthAndCodePoint) {
  char32_t cp = 0;
  EXPECT_EQ(utf8_sequence_length("a", 0, &cp), 1u);
  EXPECT_EQ(cp, U'a');
  EXPECT_EQ(utf8_sequence_length("\xC3\xA9", 0, &cp), 2u);  // é
  EXPECT_EQ(cp, U'\u00E9');
  EXPECT_EQ(utf8_sequence_length("x\xE2\x82\xAC", 1, &cp), 3u);  // €
  EXPECT_EQ(cp, U'\u20AC');
  EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x93\xA7", 0, &cp), 4u);  // 📧
  EXPECT_EQ(cp, U'\U0001F4E7');
}

TEST(Utf8, MalformedSequencesHaveNoLength) {
  EXPECT_EQ(utf8_sequence_length("\x80", 0), 0u);              // continuation byte first
  EXPECT_EQ(utf8_sequence_length("\xC3", 0), 0u);              // truncated
  EXPECT_EQ(utf8_sequence_length("\xC3(", 0), 0u);             // bad continuation
  EXPECT_EQ(utf8_sequence_length("\xC0\xAF", 0), 0u);          // overlong '/'
  EXPECT_EQ(utf8_sequence_length("\xE0\x80\xAF", 0), 0u);      // overlong, 3 bytes
  EXPECT_EQ(utf8_sequence_length("\xED\xA0\x80", 0), 0u);      // surrogate U+D800
  EXPECT_EQ(utf8_sequence_length("\xF4\x90\x80\x80", 0), 0u);  // past U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\xF8\x88\x80\x80\x80", 0), 0u);
}

TEST(Utf8, ValidUtf8ChecksEveryPositionOfLongText) {
  std::string ascii(64, 'a');
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8(ascii));
  EXPECT_TRUE(valid_utf8(ascii + "Ren\xC3\xA9" + ascii));
  // A bad byte at every offset, so that the eight-byte ASCII steps miss none.
  for (size_t at = 0; at < 20; ++at) {
    std::string s(20, 'a');
    s[at] = '\xFF';
    EXPECT_FALSE(valid_utf8(s)) << at;
  }
  EXPECT_FALSE(valid_utf8(ascii + "\xC3"));  // truncated at the very end
  EXPECT_FALSE(valid_utf8(std::string(7, 'a') + "\xED\xA0\x80" + ascii));
}

TEST(DisplayWidth, WideAndZeroWidthCharacters) {
  EXPECT_EQ(display_width("contoso"), 7u);
  EXPECT_EQ(display_width("Ren\xC3\xA9"), 4u);                       // é: one column
  EXPECT_EQ(display_width("Rene\xCC\x81"), 4u);                      // e + combining acute
  EXPECT_EQ(display_width("\xE6\x9D\xB1\xE4\xBA\xAC"), 4u);          // 東京: two each
  EXPECT_EQ(display_width("\xED\x95\x9C\xEA\xB5\xAD"), 4u);          // 한국
  EXPECT_EQ(display_width("\xEF\xBC\xA1"), 2u);                      // fullwidth A
  EXPECT_EQ(display_width("\xF0\x9F\x93\xA7"), 2u);                  // 📧
  EXPECT_EQ(display_width("\xE2\x96\x88\xE2\x80\xA6"), 2u);          // █… narrow
  EXPECT_EQ(display_width("a\xFF" "b"), 3u);                        // a stray byte: one
}

TEST(DisplayWidth, PrefixNeverSplitsAWideCharacter) {
  const std::string tokyo = "\xE6\x9D\xB1\xE4\xBA\xAC-mx";  // 東京-mx, 7 columns
  EXPECT_EQ(prefix_within_width(tokyo, 7), tokyo.size());
  EXPECT_EQ(prefix_within_width(tokyo, 4), 6u);
  EXPECT_EQ(prefix_within_width(tokyo, 3), 3u);  // 東 fits, 京 would reach column 4
  EXPECT_EQ(prefix_within_width(tokyo, 1), 0u);
  EXPECT_EQ(prefix_within_width("Rene\xCC\x81x", 4), 6u);  // the combining mark stays with its e
}

}  // namespace
}  // namespace mailflow
