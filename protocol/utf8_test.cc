#include "protocol/utf8.h"

#include <gtest/gtest.h>

#include <string>

#include "common/sqlstate.h"

namespace sqlrite::protocol {
namespace {

TEST(Utf8Test, ValidTextPasses) {
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("select 'plain ascii text of some length'"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"),
            std::nullopt);
}

TEST(Utf8Test, InvalidSequencesAreFoundWherePostgresFindsThem) {
  EXPECT_EQ(FindInvalidUtf8("select '\xff'"), 8u);
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\x80"), 10u);       // a lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);              // overlong
  EXPECT_EQ(FindInvalidUtf8("xx\xe0\x80\xaf"), 2u);        // overlong
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);          // a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);      // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok \xe2\x82"), 3u);           // truncated
  EXPECT_EQ(FindInvalidUtf8(std::string("a\0b", 3)), 1u);  // NUL
  EXPECT_EQ(FindInvalidUtf8("\xe2\x28\xa1"), 0u);
}

TEST(Utf8Test, ErrorNamesTheBytesAsPostgresDoes) {
  std::string text = "select '\xe2\x28\xa1'";
  Error e = InvalidUtf8Error(text, *FindInvalidUtf8(text));
  EXPECT_EQ(e.sqlstate, sqlstate::kCharacterNotInRepertoire);
  EXPECT_EQ(e.message, "invalid byte sequence for encoding \"UTF8\": 0xe2 0x28 0xa1");
  text = "x\xff";
  EXPECT_EQ(InvalidUtf8Error(text, 1).message, "invalid byte sequence for encoding \"UTF8\": 0xff");
  text = "x\xe2";  // claims three bytes, has one
  EXPECT_EQ(InvalidUtf8Error(text, 1).message, "invalid byte sequence for encoding \"UTF8\": 0xe2");
}

}  // namespace
}  // namespace sqlrite::protocol
