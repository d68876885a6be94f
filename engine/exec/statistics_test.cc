#include "engine/exec/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <string>

namespace sqlrite::engine::exec {
namespace {

// The aggregate `kind` over integer (int4) values, as text (NULL: "null").
std::string OverInts(AggKind kind, std::initializer_list<int64_t> values) {
  StatisticState st;
  for (int64_t v : values) EXPECT_TRUE(AddStatistic(kind, TypeId::kInt4, st, Datum(v), Datum{}));
  Result<Datum> r = FinishStatistic(kind, TypeId::kInt4, st);
  EXPECT_TRUE(r.has_value());
  if (IsNull(*r)) return "null";
  return DatumAs<NumericRef>(*r)->ToString();
}

std::string OverNumerics(AggKind kind, std::initializer_list<const char*> values) {
  StatisticState st;
  for (const char* v : values) {
    EXPECT_TRUE(
        AddStatistic(kind, TypeId::kNumeric, st, NumericDatum(*Numeric::Parse(v)), Datum{}));
  }
  Result<Datum> r = FinishStatistic(kind, TypeId::kNumeric, st);
  EXPECT_TRUE(r.has_value());
  if (IsNull(*r)) return "null";
  return DatumAs<NumericRef>(*r)->ToString();
}

TEST(StatisticsTest, NumericResultsAsPostgres) {
  // select stddev(x) from generate_series(1, 10) x on PostgreSQL 15.
  EXPECT_EQ(OverInts(AggKind::kStddevSamp, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), "3.0276503540974917");
  EXPECT_EQ(OverInts(AggKind::kVarSamp, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), "9.1666666666666667");
  EXPECT_EQ(OverInts(AggKind::kVarPop, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), "8.2500000000000000");
  EXPECT_EQ(OverInts(AggKind::kStddevPop, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), "2.8722813232690143");
  // One row: the sample statistics are NULL, the population ones 0; no row: NULL.
  EXPECT_EQ(OverInts(AggKind::kVarSamp, {5}), "null");
  EXPECT_EQ(OverInts(AggKind::kVarPop, {5}), "0");
  EXPECT_EQ(OverInts(AggKind::kStddevPop, {}), "null");
  EXPECT_EQ(OverNumerics(AggKind::kVarSamp, {"1.10", "1.10"}), "0");
  EXPECT_EQ(OverNumerics(AggKind::kVarSamp, {"0.001", "0.002", "0.0035"}),
            "0.000001583333333333333333");
  EXPECT_EQ(OverNumerics(AggKind::kStddevSamp, {"1", "NaN"}), "NaN");
  EXPECT_EQ(OverNumerics(AggKind::kVarPop, {"Infinity"}), "NaN");
}

TEST(StatisticsTest, FloatAndRegression) {
  StatisticState st;
  for (double v : {1.0, 2.0, 4.0}) {
    ASSERT_TRUE(AddStatistic(AggKind::kVarSamp, TypeId::kFloat8, st, Datum(v), Datum{}));
  }
  EXPECT_DOUBLE_EQ(DatumAs<double>(*FinishStatistic(AggKind::kVarSamp, TypeId::kFloat8, st)),
                   7.0 / 3);
  StatisticState big;
  ASSERT_TRUE(AddStatistic(AggKind::kVarSamp, TypeId::kFloat8, big, Datum(1e308), Datum{}));
  EXPECT_EQ(AddStatistic(AggKind::kVarSamp, TypeId::kFloat8, big, Datum(-1e308), Datum{})
                .error()
                .sqlstate,
            "22003");

  StatisticState reg;
  const double pairs[][2] = {{1, 2}, {2, 4.5}, {2.5, 5}, {4, 8}};
  for (const auto& p : pairs) {
    ASSERT_TRUE(AddStatistic(AggKind::kCorr, TypeId::kFloat8, reg, Datum(p[0]), Datum(p[1])));
  }
  auto value = [&reg](AggKind k) { return *FinishStatistic(k, TypeId::kFloat8, reg); };
  EXPECT_EQ(DatumAs<int64_t>(value(AggKind::kRegrCount)), 4);
  EXPECT_DOUBLE_EQ(DatumAs<double>(value(AggKind::kRegrAvgX)), 4.875);
  EXPECT_DOUBLE_EQ(DatumAs<double>(value(AggKind::kRegrAvgY)), 2.375);
  EXPECT_NEAR(DatumAs<double>(value(AggKind::kCorr)), 0.99, 0.01);
  // A vertical line: corr and the slope are NULL.
  StatisticState vertical;
  for (double y : {1.0, 2.0, 3.0}) {
    ASSERT_TRUE(AddStatistic(AggKind::kCorr, TypeId::kFloat8, vertical, Datum(y), Datum(1.0)));
  }
  EXPECT_TRUE(IsNull(*FinishStatistic(AggKind::kCorr, TypeId::kFloat8, vertical)));
  EXPECT_TRUE(IsNull(*FinishStatistic(AggKind::kRegrSlope, TypeId::kFloat8, vertical)));
  EXPECT_TRUE(IsNull(*FinishStatistic(AggKind::kCovarSamp, TypeId::kFloat8, StatisticState{})));
  EXPECT_EQ(
      DatumAs<int64_t>(*FinishStatistic(AggKind::kRegrCount, TypeId::kFloat8, StatisticState{})),
      0);
}

}  // namespace
}  // namespace sqlrite::engine::exec
