// An Error quotes data (file names, field values, connector names) and is
// read through what(), a C string: a NUL in the data once ended the message
// there (issue 16, item 10). The message goes through terminal_safe.
#include "core/error.h"

#include <gtest/gtest.h>

#include <string>

namespace mailflow {
namespace {

TEST(Error, NulInTheMessageIsShownAndNothingAfterItIsLost) {
  Error e("UnknownConnector", std::string("no connector named 'Nope\0Evil'; known: Clean", 44));
  EXPECT_EQ(std::string(e.what()), "no connector named 'Nope\\x00Evil'; known: Clean");
  EXPECT_EQ(e.id(), "UnknownConnector");
}

TEST(Error, ControlsFromDataAreEscapedOnce) {
  Error inner("ImportFormat", "header 'a\x1b[2Jb'");
  EXPECT_EQ(std::string(inner.what()), "header 'a\\x1B[2Jb'");
  // A message built from another error's text is not escaped again.
  Error outer(inner.id(), std::string("cannot import 'x\0.csv': ", 24) + inner.what());
  EXPECT_EQ(std::string(outer.what()), "cannot import 'x\\x00.csv': header 'a\\x1B[2Jb'");
}

TEST(Error, OrdinaryMessagesAreUnchanged) {
  const std::string text = "-Days 'x': not an integer\n\tcaf\xC3\xA9";
  EXPECT_EQ(std::string(Error("ParameterBindingFailed", text).what()), text);
}

}  // namespace
}  // namespace mailflow
