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

}  // namespace mailflow
