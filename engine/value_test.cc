#include "engine/value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/types.h"

namespace sqlrite::engine {
namespace {

std::string F8(double v) { return FormatText(Datum(v), TypeId::kFloat8); }

TEST(ValueTest, BoolPrintsAsTOrF) {
  EXPECT_EQ(FormatText(Datum(true), TypeId::kBool), "t");
  EXPECT_EQ(FormatText(Datum(false), TypeId::kBool), "f");
}

TEST(ValueTest, IntegersPrintInDecimal) {
  EXPECT_EQ(FormatText(Datum(int64_t{-42}), TypeId::kInt4), "-42");
  EXPECT_EQ(FormatText(Datum(std::numeric_limits<int64_t>::min()), TypeId::kInt8),
            "-9223372036854775808");
}

TEST(ValueTest, Float8PrintsShortestRoundTripAsPostgres) {
  EXPECT_EQ(F8(1.5), "1.5");
  EXPECT_EQ(F8(100), "100");
  EXPECT_EQ(F8(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(F8(-1.0 / 3), "-0.3333333333333333");
  EXPECT_EQ(F8(123456789012345.0), "123456789012345");
  EXPECT_EQ(F8(1e15), "1e+15");
  EXPECT_EQ(F8(1e20), "1e+20");
  EXPECT_EQ(F8(0.0001), "0.0001");
  EXPECT_EQ(F8(0.00001), "1e-05");
  EXPECT_EQ(F8(0), "0");
}

TEST(ValueTest, Float8SpecialValues) {
  EXPECT_EQ(F8(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(F8(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(F8(std::nan("")), "NaN");
}

TEST(ValueTest, TextPrintsAsIs) {
  EXPECT_EQ(FormatText(Datum(std::string("héllo")), TypeId::kText), "héllo");
}

TEST(TypesTest, OidsAndNamesMatchPostgres) {
  EXPECT_EQ(TypeOid(TypeId::kInt4), 23u);
  EXPECT_EQ(TypeOid(TypeId::kInt8), 20u);
  EXPECT_EQ(TypeOid(TypeId::kVarchar), 1043u);
  EXPECT_EQ(TypeOid(TypeId::kUnknown), 25u);
  EXPECT_EQ(TypeLen(TypeId::kInt4), 4);
  EXPECT_EQ(TypeLen(TypeId::kText), -1);
  EXPECT_EQ(TypeName(TypeId::kInt4), "integer");
  EXPECT_EQ(TypeName(TypeId::kVarchar), "character varying");
  EXPECT_EQ(TypeOid(TypeId::kBpchar), 1042u);
  EXPECT_EQ(TypeOid(TypeId::kBytea), 17u);
  EXPECT_EQ(TypeOid(TypeId::kUuid), 2950u);
  EXPECT_EQ(TypeLen(TypeId::kUuid), 16);
  EXPECT_EQ(TypeName(TypeId::kBpchar), "character");
  EXPECT_EQ(RegtypeName(RegtypeOid(TypeId::kUnknown)), "unknown");
  EXPECT_EQ(RegtypeName(RegtypeOid(TypeId::kBpchar)), "character");
  EXPECT_EQ(FormatText(Datum(int64_t{23}), TypeId::kRegtype), "integer");
}

}  // namespace
}  // namespace sqlrite::engine
