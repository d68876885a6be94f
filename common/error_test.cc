#include "common/error.h"

#include <gtest/gtest.h>

namespace sqlrite {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return Fail(sqlstate::kInvalidParameterValue, "odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  SQLRITE_ASSIGN_OR_RETURN(int h, Half(v));
  return Half(h);
}

Status CheckEven(int v) {
  SQLRITE_TRY(Half(v));
  return Ok();
}

TEST(ErrorTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "22023");
  EXPECT_EQ(r.error().message, "odd");
}

TEST(ErrorTest, TryPropagatesErrorsOfStatus) {
  EXPECT_TRUE(CheckEven(4));
  EXPECT_FALSE(CheckEven(3));
}

TEST(ErrorTest, BuildersFillOptionalFields) {
  Error e =
      Error(sqlstate::kSyntaxError, "syntax error at or near \"x\"").WithPosition(7).WithHint("h");
  EXPECT_EQ(e.position, 7);
  EXPECT_EQ(e.hint, "h");
  EXPECT_STREQ(SeverityName(e.severity), "ERROR");
}

}  // namespace
}  // namespace sqlrite
