// terminal_safe: the one filter between data and the terminal (issue 16,
// item 7). Escape, bell, C1 controls and bidi overrides from a log must be
// visible escapes, never act on the terminal.
#include "core/terminal.h"

#include <gtest/gtest.h>

namespace mailflow {
namespace {

TEST(TerminalSafe, ControlsBecomeVisibleEscapes) {
  EXPECT_EQ(terminal_safe("Contoso\x1b]0;pwned\x07 Partner"), "Contoso\\x1B]0;pwned\\x07 Partner");
  EXPECT_EQ(terminal_safe("a\x1b[2Jb\rc\x7f"), "a\\x1B[2Jb\\x0Dc\\x7F");
  EXPECT_EQ(terminal_safe("csi\xC2\x9B" "31m"), "csi\\u009B31m");          // U+009B, the 8-bit CSI
  EXPECT_EQ(terminal_safe("abc\xE2\x80\xAE" "fdp.exe"), "abc\\u202Efdp.exe");  // U+202E RLO
  EXPECT_EQ(terminal_safe("\xE2\x81\xA6x\xE2\x81\xA9\xE2\x80\x8F\xD8\x9C"), "\\u2066x\\u2069\\u200F\\u061C");
  EXPECT_EQ(terminal_safe("bad\x9b" "1m\x85"), "bad\\x9B1m\\x85");  // 8-bit C1 bytes
  EXPECT_EQ(terminal_safe("ren\xe9" "e \xff"), "ren\xe9" "e \xff");    // Latin-1 text passes
  EXPECT_EQ(terminal_safe(std::string("nul\0x", 5)), "nul\\x00x");
}

TEST(TerminalSafe, OrdinaryTextIsUnchanged) {
  for (const char* text : {"Get-TlsUsage", "tab\tand\nnewline", "caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x93\xA7",
                           "\xE2\x80\x8D joiner", ""})
    EXPECT_EQ(terminal_safe(text), text);
}

}  // namespace
}  // namespace mailflow
