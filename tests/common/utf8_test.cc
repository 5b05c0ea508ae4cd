#include "common/utf8.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

namespace conform {
namespace utf8_test {
namespace {

TEST(Utf8, AcceptsTextAndRejectsEachIllFormedShape) {
  EXPECT_TRUE(IsValidUtf8("plain ascii, long enough for the eight-byte path"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_EQ(FindInvalidUtf8("abc\xFF"), 3u);
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);              // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("ab\xE0\x80\xAF"), 2u);        // overlong 3-byte
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);          // UTF-16 surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);      // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("12345678\xE2\x82"), 8u);      // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);                  // continuation without a lead
}

TEST(Printable, KeepsTextAndEscapesWhatATerminalOrXmlWouldObey) {
  EXPECT_EQ(Printable("caf\xC3\xA9\tok"), "caf\xC3\xA9\tok");
  EXPECT_EQ(Printable("x\xFF\xFEy"), "x\\xff\\xfey");
  EXPECT_EQ(Printable("\x1B[2Jclear"), "\\x1b[2Jclear");
  EXPECT_EQ(Printable(std::string("nul\0byte", 8)), "nul\\x00byte");
  EXPECT_EQ(Printable("del\x7F"), "del\\x7f");
  EXPECT_EQ(Printable("c1 \xC2\x9B" "31m"), "c1 \\u009b31m");  // CSI in its C1 form
  EXPECT_EQ(Printable("a\nPASS  forged\r"), "a\\x0aPASS  forged\\x0d");
  EXPECT_EQ(Printable("two\nlines", /*keep_newlines=*/true), "two\nlines");
}

RC_GTEST_PROP(Printable, AlwaysValidUtf8WithoutControls, (const std::string& text)) {
  std::string printable = Printable(text);
  RC_ASSERT(IsValidUtf8(printable));
  for (size_t i = 0; i < printable.size(); ++i) {
    auto c = static_cast<unsigned char>(printable[i]);
    RC_ASSERT(c >= 0x20 || c == '\t');
    RC_ASSERT(c != 0x7F);
    if (c == 0xC2 && i + 1 < printable.size()) {
      RC_ASSERT(static_cast<unsigned char>(printable[i + 1]) >= 0xA0);
    }
  }
  if (IsValidUtf8(text) && text.find_first_of(std::string("\x00\n\r\x1b\x7f", 5)) == std::string::npos) {
    bool has_c0_or_c1 = false;
    for (size_t i = 0; i < text.size(); ++i) {
      auto c = static_cast<unsigned char>(text[i]);
      has_c0_or_c1 |= (c < 0x20 && c != '\t') ||
                      (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0);
    }
    if (!has_c0_or_c1) {
      RC_ASSERT(printable == text);  // clean text is left alone
    }
  }
}

}  // namespace
}  // namespace utf8_test
}  // namespace conform
