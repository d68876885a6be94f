// to_char's numeric templates and to_number (number_format.h), with PostgreSQL 15's answers in
// the C locale (tests/diff/cases/formatting.sql compares them end to end).

#include "engine/functions/number_format.h"

#include <gtest/gtest.h>

#include <string>

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::engine::functions::number_format_test {
namespace {

std::string Num(std::string_view value, std::string_view format) {
  Result<Numeric> n = Numeric::Parse(value);
  EXPECT_TRUE(n.has_value()) << value;
  if (!n) return "?";
  Result<std::string> r = NumericToChar(*n, format);
  if (!r) return "ERROR " + r.error().sqlstate + ": " + r.error().message;
  return *r;
}

std::string Int(int64_t value, bool int8, std::string_view format) {
  Result<std::string> r = IntegerToChar(value, int8, format);
  if (!r) return "ERROR " + r.error().sqlstate + ": " + r.error().message;
  return *r;
}

std::string Float(double value, bool float4, std::string_view format) {
  Result<std::string> r = FloatToChar(value, float4, format);
  if (!r) return "ERROR " + r.error().sqlstate + ": " + r.error().message;
  return *r;
}

std::string ToNum(std::string_view input, std::string_view format) {
  Result<std::optional<Numeric>> r = ToNumber(input, format);
  if (!r) return "ERROR " + r.error().sqlstate + ": " + r.error().message;
  if (!r->has_value()) return "NULL";
  return (*r)->ToString();
}

TEST(NumberFormatTest, DigitsPointsAndGroups) {
  EXPECT_EQ(Num("1234.5", "9,999.99"), " 1,234.50");
  EXPECT_EQ(Num("-1234.5", "9,999.99"), "-1,234.50");
  EXPECT_EQ(Num("0.5", "9.99"), "  .50");
  EXPECT_EQ(Num("0.5", "0.99"), " 0.50");
  EXPECT_EQ(Num("0.5", "FM9.99"), ".5");
  EXPECT_EQ(Num("12", "0000"), " 0012");
  EXPECT_EQ(Num("-12", "0000"), "-0012");
  EXPECT_EQ(Num("3148.5", "9G999D999"), " 3,148.500");
  EXPECT_EQ(Num("1234", "FM9,999.99"), "1,234.");
  EXPECT_EQ(Num("1234.5", "FM9,999.00"), "1,234.50");
  EXPECT_EQ(Num("0", "999"), "   0");
  EXPECT_EQ(Num("0", "9.99"), "  .00");
  EXPECT_EQ(Num("5", "ab9"), "a 5");  // b is B (blank mode), a is copied
  EXPECT_EQ(Num("1234.5", "\"Total: \"9,999.99"), "Total:  1,234.50");
}

TEST(NumberFormatTest, OverflowFillsWithHashes) {
  EXPECT_EQ(Num("1234.5", "99.99"), " ##.##");
  EXPECT_EQ(Num("12345", "999"), " ###");
  EXPECT_EQ(Num("-12345", "999"), "-###");
  EXPECT_EQ(Num("0.1", ".9"), " .#");
  EXPECT_EQ(Int(12, false, "9V9"), " ##");
}

TEST(NumberFormatTest, Signs) {
  EXPECT_EQ(Num("-485", "999S"), "485-");
  EXPECT_EQ(Num("-485", "S999"), "-485");
  EXPECT_EQ(Num("485", "S999"), "+485");
  EXPECT_EQ(Num("-485", "999MI"), "485-");
  EXPECT_EQ(Num("485", "999MI"), "485 ");
  EXPECT_EQ(Num("485", "FM999MI"), "485");
  EXPECT_EQ(Num("485", "PL999"), "+ 485");
  EXPECT_EQ(Num("-485", "SG999"), "-485");
  EXPECT_EQ(Num("-485", "999PR"), "<485>");
  EXPECT_EQ(Num("485", "999PR"), " 485 ");
  EXPECT_EQ(Num("-485.5", "999.9PR"), "<485.5>");
  EXPECT_EQ(Num("485", "L999"), "  485");
}

TEST(NumberFormatTest, RomanOrdinalsShiftAndScientific) {
  EXPECT_EQ(Num("485", "RN"), "        CDLXXXV");
  EXPECT_EQ(Num("485", "FMRN"), "CDLXXXV");
  EXPECT_EQ(Num("3999", "RN"), "      MMMCMXCIX");
  EXPECT_EQ(Num("4000", "RN"), "###############");
  EXPECT_EQ(Num("1994", "FMrn"), "mcmxciv");
  EXPECT_EQ(Num("482", "999th"), " 482nd");
  EXPECT_EQ(Num("11", "99th"), " 11th");
  EXPECT_EQ(Num("23", "FM99TH"), "23RD");
  EXPECT_EQ(Num("12.4", "99V999"), " 12400");
  EXPECT_EQ(Num("0.0004859", "9.99EEEE"), " 4.86e-04");
  EXPECT_EQ(Num("-12345", "9.9EEEE"), "-1.2e+04");
  EXPECT_EQ(Num("0", "9.99EEEE"), " 0.00e+00");
  EXPECT_EQ(Num("NaN", "9.99EEEE"), " #.######");
  EXPECT_EQ(Int(1234, false, "9.99EEEE"), " 1.23e+03");
  EXPECT_EQ(Int(int64_t{5000000000}, true, "RN"), "ERROR 22003: integer out of range");
}

TEST(NumberFormatTest, IntegersAndFloats) {
  EXPECT_EQ(Int(1234, false, "9,999.99"), " 1,234.00");
  EXPECT_EQ(Int(-1234, true, "99999"), " -1234");
  EXPECT_EQ(Int(1234, true, "999V99"), " #####");
  EXPECT_EQ(Float(1234.5, false, "9,999.99"), " 1,234.50");
  EXPECT_EQ(Float(-0.1, false, "9.99"), " -.10");
  EXPECT_EQ(Float(1e20, false, "9999"), " ####");
  EXPECT_EQ(Float(1.23456789012345678, false, "9.99999999999999999999"), " 1.23456789012346");
  EXPECT_EQ(Float(static_cast<float>(123456.789), true, "999999.999"), " 123457");
}

TEST(NumberFormatTest, PatternErrors) {
  EXPECT_EQ(Num("1", "9.9.9"), "ERROR 42601: multiple decimal points");
  EXPECT_EQ(Num("1", "9V9.9"), "ERROR 42601: cannot use \"V\" and decimal point together");
  EXPECT_EQ(Num("1", "S9S"), "ERROR 42601: cannot use \"S\" twice");
  EXPECT_EQ(Num("1", "PR9"), "ERROR 42601: \"9\" must be ahead of \"PR\"");
  EXPECT_EQ(Num("1", "FM9.9EEEE"), "ERROR 42601: \"EEEE\" is incompatible with other formats");
  EXPECT_EQ(Num("1", "9.9EEEE9"), "ERROR 42601: \"EEEE\" must be the last pattern used");
  EXPECT_EQ(Num("1", ""), "");
}

TEST(NumberFormatTest, ToNumber) {
  EXPECT_EQ(ToNum("12,454.8-", "99G999D9S"), "-12454.8");
  EXPECT_EQ(ToNum("-34,338,492.654,878", "99G999G999D999G999"), "-34338492.654878");
  EXPECT_EQ(ToNum("<564646.654564>", "999999.999999PR"), "-564646.654564");
  EXPECT_EQ(ToNum("5.01-", "FM9.999999MI"), "-5.01");
  EXPECT_EQ(ToNum("5 4 4 4 4 8 . 7 8", "9 9 9 9 9 9 . 9 9"), "544448.78");
  EXPECT_EQ(ToNum(".0", "99999999.99999999"), "0.0");
  EXPECT_EQ(ToNum("$1,234.56", "L99,999.99"), "1234.56");
  EXPECT_EQ(ToNum("42nd", "99th"), "42");
  EXPECT_EQ(ToNum("123456", "99999V99"), "1234.5600000000000000");
  EXPECT_EQ(ToNum("12345", "99"), "12");
  EXPECT_EQ(ToNum("abc", "999"), "ERROR 22P02: invalid input syntax for type numeric: \" \"");
  EXPECT_EQ(ToNum("12", "RN"), "ERROR 0A000: \"RN\" not supported for input");
  EXPECT_EQ(ToNum("12", ""), "NULL");
}

}  // namespace
}  // namespace sqlrite::engine::functions::number_format_test
