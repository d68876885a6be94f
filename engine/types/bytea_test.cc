#include "engine/types/bytea.h"

#include <gtest/gtest.h>

namespace sqlrite::engine::bytea {
namespace {

std::string Hex(std::string_view bytes) {
  std::string out;
  AppendText(out, bytes);
  return out;
}

TEST(ByteaTest, ReadsHexAndEscapeForms) {
  EXPECT_EQ(Hex(*Parse("\\xDEADbeef")), "\\xdeadbeef");
  EXPECT_EQ(Hex(*Parse("\\x de ad")), "\\xdead");
  EXPECT_EQ(*Parse("\\x"), "");
  EXPECT_EQ(*Parse("a\\\\b"), "a\\b");
  EXPECT_EQ(*Parse("a\\047b"), "a'b");
  EXPECT_EQ(Parse("\\000\\001")->size(), 2u);
}

TEST(ByteaTest, EscapeOutputKeepsPrintableAsciiAndOctalsTheRest) {
  auto escaped = [](std::string_view bytes) {
    std::string out;
    AppendEscaped(out, bytes);
    return out;
  };
  EXPECT_EQ(escaped(std::string("\0A\\\n ~\x7f\x80\xff", 9)), "\\000A\\\\\\012 ~\\177\\200\\377");
  EXPECT_EQ(escaped(""), "");
  // Outside any session the output is hex, bytea_output's default.
  EXPECT_EQ(Hex("\x01"), "\\x01");
}

TEST(ByteaTest, RejectsBadInputWithPostgresMessages) {
  auto digit = Parse("\\x0g");
  ASSERT_FALSE(digit.has_value());
  EXPECT_EQ(digit.error().sqlstate, std::string("22023"));
  EXPECT_EQ(digit.error().message, "invalid hexadecimal digit: \"g\"");
  auto odd = Parse("\\x123");
  ASSERT_FALSE(odd.has_value());
  EXPECT_EQ(odd.error().message, "invalid hexadecimal data: odd number of digits");
  auto escape = Parse("a\\9");
  ASSERT_FALSE(escape.has_value());
  EXPECT_EQ(escape.error().sqlstate, std::string("22P02"));
  EXPECT_EQ(escape.error().message, "invalid input syntax for type bytea");
}

TEST(ByteaTest, EncodesAndDecodes) {
  EXPECT_EQ(*Encode("abc", "hex"), "616263");
  EXPECT_EQ(*Encode("abc", "base64"), "YWJj");
  EXPECT_EQ(*Encode("ab", "base64"), "YWI=");
  EXPECT_EQ(*Encode(std::string("\0\xff"
                                "A",
                                3),
                    "escape"),
            "\\000\\377A");
  EXPECT_EQ(*Decode("YWJj", "base64"), "abc");
  EXPECT_EQ(*Decode("YWI=", "base64"), "ab");
  EXPECT_EQ(*Decode("616263", "hex"), "abc");
  EXPECT_EQ(*Decode("a\\000b", "escape"), std::string("a\0b", 3));
  EXPECT_EQ(Encode("abc", "nope").error().message, "unrecognized encoding: \"nope\"");
  EXPECT_EQ(Decode("zz", "hex").error().message, "invalid hexadecimal digit: \"z\"");
  EXPECT_FALSE(Decode("YWJ", "base64").has_value());
  std::string long_input(60, 'x');  // 80 base64 characters: a newline after 76
  EXPECT_EQ(Encode(long_input, "base64")->find('\n'), 76u);
  EXPECT_EQ(*Decode(*Encode(long_input, "base64"), "base64"), long_input);
}

}  // namespace
}  // namespace sqlrite::engine::bytea
