#include "engine/types/enum_type.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace sqlrite::engine {
namespace {

EnumType Mood() {
  EnumType t;
  t.oid = 16384;
  t.name = "mood";
  t.labels = {{1, 1.0f, "sad"}, {2, 2.0f, "ok"}, {3, 3.0f, "happy"}};
  return t;
}

// The value's bytes compare (as std::string does, unsigned) in the sort orders' numeric order,
// negative orders (ADD VALUE BEFORE the first label) included.
TEST(EnumTypeTest, ValuesCompareBySortOrder) {
  const float orders[] = {
      -std::numeric_limits<float>::max(), -2.5f, -1.0f, -0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 1e30f};
  for (size_t i = 0; i + 1 < std::size(orders); ++i) {
    const Datum a = EnumValue({0, orders[i], "zzz"});
    const Datum b = EnumValue({0, orders[i + 1], "aaa"});
    EXPECT_LT(std::get<std::string>(a), std::get<std::string>(b)) << orders[i];
    EXPECT_EQ(EnumSortOrderOf(std::get<std::string>(b)), orders[i + 1]);
  }
  EXPECT_EQ(EnumLabelOf(std::get<std::string>(EnumValue({0, 2.0f, "ok"}))), "ok");
  EXPECT_EQ(EnumLabelOf(std::get<std::string>(EnumValue({0, 2.0f, ""}))), "");
}

TEST(EnumTypeTest, ParseEnum) {
  const EnumType t = Mood();
  Result<Datum> ok = ParseEnum("happy", t);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, EnumValue(t.labels[2]));
  Result<Datum> bad = ParseEnum("angry", t);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().sqlstate, std::string("22P02"));
  EXPECT_EQ(bad.error().message, "invalid input value for enum mood: \"angry\"");
  // Labels are case-sensitive and not trimmed, as enum_in compares them.
  EXPECT_FALSE(ParseEnum("Happy", t).has_value());
  EXPECT_FALSE(ParseEnum(" ok", t).has_value());
}

// PostgreSQL's AddEnumLabel (pg_enum.c), whose orders pg_enum.enumsortorder shows: the end is
// last + 1, before the first is first - 1, between two labels their midpoint in float4, and
// none when float4 has no value between them (the labels are renumbered then).
TEST(EnumTypeTest, NewSortOrderAsPostgres) {
  EnumType t = Mood();
  EXPECT_EQ(NewSortOrder(t, 2, false), 4.0f);           // ADD VALUE 'x' (or AFTER 'happy')
  EXPECT_EQ(NewSortOrder(t, 0, true), 0.0f);            // BEFORE 'sad'
  EXPECT_EQ(NewSortOrder(t, 1, true), 1.5f);            // BEFORE 'ok'
  EXPECT_EQ(NewSortOrder(t, 0, false), 1.5f);           // AFTER 'sad'
  EXPECT_EQ(NewSortOrder(EnumType{}, 0, false), 1.0f);  // the first label of an empty type
  // Repeated insertion before the same label runs out of float4 midpoints.
  int steps = 0;
  while (std::optional<float> o = NewSortOrder(t, 1, true)) {
    t.labels.insert(t.labels.begin() + 1, EnumLabel{0, *o, "x" + std::to_string(steps)});
    ++steps;
    ASSERT_LT(steps, 100);
  }
  EXPECT_GT(steps, 15);
  for (size_t i = 0; i + 1 < t.labels.size(); ++i) {
    EXPECT_LT(t.labels[i].sort_order, t.labels[i + 1].sort_order);
  }
}

}  // namespace
}  // namespace sqlrite::engine
