#include "core/wildcard.h"

#include <gtest/gtest.h>

namespace mailflow {

TEST(Wildcard, TranslatesPowerShellWildcardsToLowerCaseGlob) {
  EXPECT_EQ(wildcard_to_glob("*@Fabrikam.com"), "*@fabrikam.com");
  EXPECT_EQ(wildcard_to_glob("ann?lee@x.com"), "ann?lee@x.com");
  EXPECT_EQ(wildcard_to_glob("[A-C]*@x.com"), "[a-c]*@x.com");
}

TEST(Wildcard, EscapedAndUnclosedSpecialsMatchThemselves) {
  EXPECT_EQ(wildcard_to_glob("a`*b@x.com"), "a[*]b@x.com");
  EXPECT_EQ(wildcard_to_glob("a`?b"), "a[?]b");
  EXPECT_EQ(wildcard_to_glob("a[b"), "a[[]b");
  EXPECT_EQ(wildcard_to_glob("a[]b"), "a[[]]b");
  // LIKE metacharacters mean nothing to GLOB: no escaping needed, no false matches.
  EXPECT_EQ(wildcard_to_glob("first_last%@x.com"), "first_last%@x.com");
}

TEST(Wildcard, DetectsWildcards) {
  EXPECT_TRUE(has_wildcards("*@x.com"));
  EXPECT_TRUE(has_wildcards("a?b"));
  EXPECT_FALSE(has_wildcards("a`*b"));
  EXPECT_FALSE(has_wildcards("first_last@x.com"));
}

TEST(Wildcard, LiteralsAreBracketed) {
  EXPECT_EQ(literal_to_glob("Mail.Fabrikam.COM"), "mail.fabrikam.com");
  EXPECT_EQ(literal_to_glob("a*b?c[d"), "a[*]b[?]c[[]d");
}

TEST(Wildcard, AGlobThatMatchesOneStringGivesThatString) {
  EXPECT_EQ(glob_literal("ann.lee@x.com"), "ann.lee@x.com");
  EXPECT_EQ(glob_literal(literal_to_glob("a*b?c[d]e@X.com")), "a*b?c[d]e@x.com");
  EXPECT_EQ(glob_literal(wildcard_to_glob("first_last%@x.com")), "first_last%@x.com");
  EXPECT_EQ(glob_literal(wildcard_to_glob("a`[b")), "a[b");
  EXPECT_EQ(glob_literal("[a]"), "a");
  EXPECT_EQ(glob_literal("a]b"), "a]b");  // a `]` outside a class is itself
  EXPECT_EQ(glob_literal(""), "");
}

TEST(Wildcard, AGlobThatMatchesManyStringsIsNoLiteral) {
  for (const char* g : {"*@x.com", "ann?lee", "[ab]@x.com", "[a-c]", "[^a]", "[]]", "a[b", "a[", "[\xc3\xa9]"})
    EXPECT_EQ(glob_literal(g), std::nullopt) << g;
  EXPECT_EQ(glob_literal(std::string("a\0b", 3)), std::nullopt);  // GLOB would stop at the NUL
}

}  // namespace mailflow
