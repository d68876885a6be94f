#include "engine/types/bit_string.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace sqlrite::engine::bit_string {
namespace {

std::string Enc(std::string_view text) {
  auto b = ParseBits(text);
  EXPECT_TRUE(b.has_value()) << text;
  return Encode(*b);
}

std::string Text(std::string_view datum) {
  std::string out;
  AppendText(out, datum);
  return out;
}

TEST(BitString, InputAndOutput) {
  EXPECT_EQ(Text(Enc("101")), "101");
  EXPECT_EQ(Text(Enc("b101")), "101");
  EXPECT_EQ(Text(Enc("x1F")), "00011111");
  EXPECT_EQ(Text(Enc("Xa")), "1010");
  EXPECT_EQ(Text(Enc("")), "");
  EXPECT_EQ(Text(Enc("000000000")), "000000000");
  auto bad = ParseBits("102");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().sqlstate, std::string("22P02"));
  EXPECT_EQ(bad.error().message, "\"2\" is not a valid binary digit");
  auto bad_hex = ParseBits("x1G");
  ASSERT_FALSE(bad_hex.has_value());
  EXPECT_EQ(bad_hex.error().message, "\"G\" is not a valid hexadecimal digit");
}

// bitcmp's order: common bytes first, then the shorter string; the encoding's bytes agree.
TEST(BitString, EncodingOrdersAsBitcmp) {
  const std::vector<std::string> sorted = {
      "",  "0",  "00",  "00000000", "000000000", "0000000001", "0111",
      "1", "10", "101", "11",       "11111111",  "111111111"};
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    EXPECT_LT(Enc(sorted[i]), Enc(sorted[i + 1])) << sorted[i] << " < " << sorted[i + 1];
  }
  EXPECT_EQ(Enc("0101"), Enc("b0101"));
}

TEST(BitString, FitAndCast) {
  auto pad = Cast(Enc("101"), TypeId::kBit, 5, true);
  ASSERT_TRUE(pad.has_value());
  EXPECT_EQ(Text(*pad), "10100");
  auto cut = Cast(Enc("10101"), TypeId::kBit, 3, true);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(Text(*cut), "101");
  auto mismatch = Cast(Enc("101"), TypeId::kBit, 4, false);
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().sqlstate, std::string("22026"));
  EXPECT_EQ(mismatch.error().message, "bit string length 3 does not match type bit(4)");
  auto too_long = Parse("101010101", TypeId::kVarbit, 8);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().sqlstate, std::string("22001"));
  EXPECT_EQ(too_long.error().message, "bit string too long for type bit varying(8)");
  auto shorter = Parse("10", TypeId::kVarbit, 8);
  ASSERT_TRUE(shorter.has_value());
  EXPECT_EQ(Text(*shorter), "10");
}

TEST(BitString, Integers) {
  EXPECT_EQ(Text(FromInt(5, 8)), "00000101");
  EXPECT_EQ(Text(FromInt(5, 3)), "101");
  EXPECT_EQ(Text(FromInt(-1, 33)), std::string(33, '1'));
  EXPECT_EQ(Text(FromInt(-2, 70)), std::string(69, '1') + "0");
  EXPECT_EQ(*ToInt(Enc("11111111"), 32), 255);
  EXPECT_EQ(*ToInt(Enc(std::string(32, '1')), 32), -1);
  EXPECT_EQ(*ToInt(Enc("xFFFFFFFF"), 64), 4294967295);
  EXPECT_FALSE(ToInt(Enc(std::string(33, '1')), 32).has_value());
}

TEST(BitString, BitwiseAndSendReceive) {
  auto a = Bitwise(Enc("1100"), Enc("1010"), '&');
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(Text(*a), "1000");
  auto x = Bitwise(Enc("1100"), Enc("1010"), '#');
  EXPECT_EQ(Text(*x), "0110");
  auto bad = Bitwise(Enc("1100"), Enc("101"), '|');
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "cannot OR bit strings of different sizes");

  std::string wire;
  AppendSend(wire, Enc("101000001"));
  EXPECT_EQ(wire, std::string("\0\0\0\x09\xa0\x80", 6));
  auto back = Receive(wire, TypeId::kVarbit, -1);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(Text(*back), "101000001");
  EXPECT_FALSE(Receive(std::string("\0\0\0\x09\xa0", 5), TypeId::kVarbit, -1).has_value());
}

}  // namespace
}  // namespace sqlrite::engine::bit_string
