#include "engine/types/interval_typmod.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace sqlrite::engine::interval {
namespace {

constexpr int32_t kDayToHour = kDayField | kHourField;
constexpr int32_t kMinuteToSecond = kMinuteField | kSecondField;
constexpr int32_t kHourToMinute = kHourField | kMinuteField;

// interval_in with a typmod: read under its range, then cut to it (the expected texts are
// PostgreSQL 15's).
std::string In(std::string_view text, int32_t typmod = -1) {
  Result<Interval> v = ParseInRange(text, TypmodRange(typmod));
  if (!v) return "ERROR " + v.error().sqlstate + ": " + v.error().message;
  std::string out;
  AppendText(out, ApplyTypmod(*v, typmod));
  return out;
}

int32_t Range(int32_t range) { return MakeTypmod(range, kFullPrecision); }

TEST(IntervalTypmodTest, UnitlessNumberIsTheRangesLastField) {
  EXPECT_EQ(In("5", Range(kHourField)), "05:00:00");
  EXPECT_EQ(In("5", Range(kYearField)), "5 years");
  EXPECT_EQ(In("5", Range(kYearField | kMonthField)), "5 mons");
  EXPECT_EQ(In("5", Range(kDayField | kHourField | kMinuteField)), "00:05:00");
  EXPECT_EQ(In("5"), "00:00:05");
  EXPECT_EQ(In("1.5", Range(kHourField)), "01:00:00");
}

TEST(IntervalTypmodTest, NumberLeftOfHoursOrTimeIsDays) {
  EXPECT_EQ(In("1 2", Range(kDayToHour)), "1 day 02:00:00");
  EXPECT_EQ(In("1 2", Range(kHourField)), "1 day 02:00:00");
  EXPECT_EQ(In("1 2 hours"), "1 day 02:00:00");
  EXPECT_EQ(In("1.5 02:03"), "1 day 14:03:00");
  EXPECT_EQ(In("2 hours 3"), "02:00:03");
}

TEST(IntervalTypmodTest, AFieldGivenTwiceIsASyntaxError) {
  const std::string error = "ERROR 22007: invalid input syntax for type interval: ";
  EXPECT_EQ(In("1 2"), error + "\"1 2\"");
  EXPECT_EQ(In("1 2", Range(kDayField | kHourField | kMinuteField)), error + "\"1 2\"");
  EXPECT_EQ(In("1 day 2 days"), error + "\"1 day 2 days\"");
  EXPECT_EQ(In("1 02:03 5"), error + "\"1 02:03 5\"");
  EXPECT_EQ(In("1-2 3 months"), error + "\"1-2 3 months\"");
  EXPECT_EQ(In("5 ago"), error + "\"5 ago\"");
}

TEST(IntervalTypmodTest, MinutesAndSeconds) {
  EXPECT_EQ(In("1:30", Range(kMinuteToSecond)), "00:01:30");
  EXPECT_EQ(In("1:30", Range(kMinuteField)), "01:30:00");
  EXPECT_EQ(In("1:30.5"), "00:01:30.5");
  EXPECT_EQ(In("1:30.5", Range(kHourToMinute)), "00:01:00");
}

TEST(IntervalTypmodTest, FieldsRightOfTheRangeAreTruncatedTowardZero) {
  const std::string all = "1 year 2 months 3 days 04:05:06.789";
  EXPECT_EQ(In(all, Range(kYearField)), "1 year");
  EXPECT_EQ(In(all, Range(kMonthField)), "1 year 2 mons");
  EXPECT_EQ(In(all, Range(kDayField)), "1 year 2 mons 3 days");
  EXPECT_EQ(In(all, Range(kDayToHour)), "1 year 2 mons 3 days 04:00:00");
  EXPECT_EQ(In(all, Range(kHourToMinute)), "1 year 2 mons 3 days 04:05:00");
  EXPECT_EQ(In(all, Range(kMinuteToSecond)), "1 year 2 mons 3 days 04:05:06.789");
  EXPECT_EQ(In("-90 minutes", Range(kHourField)), "-01:00:00");
  EXPECT_EQ(In("-1 day -01:30:59", Range(kHourToMinute)), "-1 days -01:30:00");
}

TEST(IntervalTypmodTest, PrecisionRoundsHalfAwayFromZero) {
  EXPECT_EQ(In("1.23456", MakeTypmod(kSecondField, 2)), "00:00:01.23");
  EXPECT_EQ(In("-1.5", MakeTypmod(kSecondField, 0)), "-00:00:02");
  EXPECT_EQ(In("-0.0005 sec", MakeTypmod(kDayField | kHourField | kMinuteField | kSecondField, 3)),
            "-00:00:00.001");
  EXPECT_EQ(In("1.234", MakeTypmod(kFullRange, 2)), "00:00:01.23");
}

TEST(IntervalTypmodTest, TypmodTextIsIntervaltypmodout) {
  EXPECT_EQ(TypmodText(-1), "");
  EXPECT_EQ(TypmodText(MakeTypmod(kFullRange, 2)), "(2)");
  EXPECT_EQ(TypmodText(Range(kDayToHour)), " day to hour");
  EXPECT_EQ(TypmodText(MakeTypmod(kDayField | kHourField | kMinuteField | kSecondField, 3)),
            " day to second(3)");
  EXPECT_EQ(TypmodText(MakeTypmod(kSecondField, 0)), " second(0)");
  EXPECT_TRUE(IsValidRange(kMinuteToSecond));
  EXPECT_FALSE(IsValidRange(kMonthField | kDayField));
}

TEST(IntervalTypmodTest, TimeFieldsPastInt64AreOutOfRangeWithoutOverflow) {
  EXPECT_EQ(In("0:99999999999999"),
            "ERROR 22015: interval field value out of range: \"0:99999999999999\"");
  EXPECT_EQ(In("0:9999999999999999999"),
            "ERROR 22015: interval field value out of range: \"0:9999999999999999999\"");
  EXPECT_EQ(In("99999999999999999999:00"),
            "ERROR 22015: interval field value out of range: \"99999999999999999999:00\"");
  EXPECT_EQ(In("2562047788:00:54.775807"), "2562047788:00:54.775807");
  // A signed time PostgreSQL refuses is read again as a number: bad syntax.
  EXPECT_EQ(In("-0:60"), "ERROR 22007: invalid input syntax for type interval: \"-0:60\"");
  EXPECT_EQ(In("-1:2:3"), "-01:02:03");
}

TEST(IntervalTypmodTest, ZeroFractionOfSecondsLeavesMillisecondsFree) {
  EXPECT_EQ(In("1.0 second 2 ms"), "00:00:01.002");
  EXPECT_EQ(In("0.0 seconds 5 us"), "00:00:00.000005");
  EXPECT_EQ(In("1.5 second 2 ms"),
            "ERROR 22007: invalid input syntax for type interval: \"1.5 second 2 ms\"");
}

TEST(IntervalTypmodTest, AgoAnywhereNegatesTheWholeValue) {
  EXPECT_EQ(In("1 day 2 hours ago 3"), "-1 days -02:00:03");
  EXPECT_EQ(In("1 day ago ago"), "-1 days");
  EXPECT_EQ(In("1 day 3 ago"),
            "ERROR 22007: invalid input syntax for type interval: \"1 day 3 ago\"");
}

}  // namespace
}  // namespace sqlrite::engine::interval
