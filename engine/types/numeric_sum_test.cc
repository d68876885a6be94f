#include "engine/types/numeric_sum.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::engine::numeric_sum_test {
namespace {

Numeric N(const std::string& text) {
  auto n = Numeric::Parse(text);
  EXPECT_TRUE(n.has_value()) << text;
  return n ? *n : Numeric();
}

// The sum as adding Numerics one by one gives it (what PostgreSQL's numeric_add does).
std::string Reference(const std::vector<std::string>& values) {
  Numeric sum;
  for (const std::string& v : values) sum = *Numeric::Add(sum, N(v));
  return sum.ToString();
}

std::string Sum(const std::vector<std::string>& values) {
  NumericSumAccumulator acc;
  for (const std::string& v : values) EXPECT_TRUE(acc.Add(N(v)).has_value()) << v;
  auto sum = acc.Sum();
  EXPECT_TRUE(sum.has_value());
  return sum ? sum->ToString() : "error";
}

TEST(NumericSumAccumulatorTest, ResultScaleIsTheLargestInputScale) {
  EXPECT_EQ(Sum({"1.5", "2.25"}), "3.75");
  EXPECT_EQ(Sum({"1", "2.000"}), "3.000");
  EXPECT_EQ(Sum({"2.000", "1"}), "3.000");
  EXPECT_EQ(Sum({"0.00"}), "0.00");
  EXPECT_EQ(Sum({"7"}), "7");
  EXPECT_EQ(Sum({"0.1", "0.2", "0.30"}), "0.60");
  EXPECT_EQ(Sum({"12345.6789", "0.00001"}), "12345.67891");
}

TEST(NumericSumAccumulatorTest, NegativeValuesCancel) {
  EXPECT_EQ(Sum({"-1.25", "1.25"}), "0.00");
  EXPECT_EQ(Sum({"-1.25", "0.5"}), "-0.75");
  EXPECT_EQ(Sum({"-10000", "-0.0001"}), "-10000.0001");
  EXPECT_EQ(Sum({"5", "-7.5", "-0.5"}), "-3.0");
}

TEST(NumericSumAccumulatorTest, SpecialValuesFollowNumericAdd) {
  EXPECT_EQ(Sum({"1", "NaN", "2"}), "NaN");
  EXPECT_EQ(Sum({"Infinity", "1"}), "Infinity");
  EXPECT_EQ(Sum({"1", "-Infinity"}), "-Infinity");
  EXPECT_EQ(Sum({"Infinity", "-Infinity"}), "NaN");
  EXPECT_EQ(Sum({"Infinity", "Infinity", "3.5"}), "Infinity");
  EXPECT_EQ(Sum({"NaN", "Infinity"}), "NaN");
  NumericSumAccumulator acc;
  ASSERT_TRUE(acc.Add(N("Infinity")).has_value());
  ASSERT_TRUE(acc.Add(N("2")).has_value());
  EXPECT_EQ(acc.Avg(2)->ToString(), "Infinity");
}

TEST(NumericSumAccumulatorTest, ValuesBeyondTheIntegerPartStayExact) {
  // 34 nines twice: the integer part's bound, then the exact part.
  const std::string nines(34, '9');
  EXPECT_EQ(Sum({nines, nines}), Reference({nines, nines}));
  EXPECT_EQ(Sum({nines, nines, "-" + nines, "1"}), Reference({nines, nines, "-" + nines, "1"}));
  // More digits than an Int128 holds.
  const std::string big = "1" + std::string(45, '0') + ".5";
  EXPECT_EQ(Sum({big, "1.25", big}), Reference({big, "1.25", big}));
  // A display scale above kMaxIntScale.
  const std::string tiny = "0." + std::string(39, '0') + "1";
  EXPECT_EQ(Sum({"1", tiny, "2.5"}), Reference({"1", tiny, "2.5"}));
  // A sum that cannot be rescaled for a value with more decimals.
  const std::string large = "1" + std::string(33, '0');
  EXPECT_EQ(Sum({large, "0.001", large}), Reference({large, "0.001", large}));
  // Near the largest numeric values.
  const std::string huge = "9" + std::string(1000, '0');
  EXPECT_EQ(Sum({huge, "1", "-" + huge}), Reference({huge, "1", "-" + huge}));
}

TEST(NumericSumAccumulatorTest, AvgDividesWithNumericDivisionScale) {
  NumericSumAccumulator acc;
  ASSERT_TRUE(acc.Add(N("1")).has_value());
  ASSERT_TRUE(acc.Add(N("2")).has_value());
  EXPECT_EQ(acc.Avg(2)->ToString(), "1.5000000000000000");
  NumericSumAccumulator cents;
  for (const char* v : {"10.25", "-3.10", "0.01"}) ASSERT_TRUE(cents.Add(N(v)).has_value());
  EXPECT_EQ(cents.Avg(3)->ToString(), Numeric::Div(N("7.16"), Numeric::FromInt64(3))->ToString());
}

TEST(NumericSumAccumulatorTest, AgreesWithNumericAddOnRandomValues) {
  std::mt19937_64 rng(20261207);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> values;
    const int count = 1 + static_cast<int>(rng() % 40);
    const int max_int_digits = 1 + static_cast<int>(rng() % 40);
    const int max_scale = static_cast<int>(rng() % 36);
    for (int i = 0; i < count; ++i) {
      std::string v = rng() % 2 ? "-" : "";
      const int int_digits = 1 + static_cast<int>(rng() % max_int_digits);
      for (int d = 0; d < int_digits; ++d) v.push_back(static_cast<char>('0' + rng() % 10));
      const int scale = max_scale == 0 ? 0 : static_cast<int>(rng() % (max_scale + 1));
      if (scale > 0) {
        v.push_back('.');
        for (int d = 0; d < scale; ++d) v.push_back(static_cast<char>('0' + rng() % 10));
      }
      values.push_back(v);
    }
    ASSERT_EQ(Sum(values), Reference(values)) << "round " << round;
  }
}

}  // namespace
}  // namespace sqlrite::engine::numeric_sum_test
