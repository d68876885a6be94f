#include "engine/types/bpchar.h"

#include <gtest/gtest.h>

namespace sqlrite::engine::bpchar {
namespace {

TEST(BpcharTest, PadsShortValuesToTheLength) {
  EXPECT_EQ(*FitLength("ab", 4, true, false, "character(4)"), "ab  ");
  EXPECT_EQ(*FitLength("é", 3, true, false, "character(3)"), "é  ");  // characters, not bytes
}

TEST(BpcharTest, TooLongIsAnErrorUnlessOnlyBlanksAreCutOrTheCastIsExplicit) {
  auto r = FitLength("toolong", 4, true, false, "character(4)");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().sqlstate, std::string("22001"));
  EXPECT_EQ(r.error().message, "value too long for type character(4)");
  EXPECT_EQ(*FitLength("sp    ", 4, true, false, "character(4)"), "sp  ");
  EXPECT_EQ(*FitLength("abcdef", 3, true, true, "character(3)"), "abc");
  EXPECT_EQ(*FitLength("héllo", 2, false, true, "character varying(2)"), "hé");
}

TEST(BpcharTest, TrailingBlanksAreInsignificantInComparisons) {
  EXPECT_EQ(Compare("ab  ", "ab"), 0);
  EXPECT_LT(Compare("ab ", "abc"), 0);
  EXPECT_EQ(Stripped("a b  "), "a b");
  EXPECT_EQ(CharLength("héllo"), 5u);
}

}  // namespace
}  // namespace sqlrite::engine::bpchar
