#include "engine/types/datetime.h"

#include <gtest/gtest.h>

#include "common/sqlstate.h"
#include "engine/datetime_context.h"
#include "engine/types/interval.h"

namespace sqlrite::engine {
namespace {

std::string DateText(std::string_view in) {
  auto v = datetime::ParseDate(in);
  if (!v) return "ERROR " + v.error().sqlstate + ": " + v.error().message;
  std::string out;
  datetime::AppendDate(out, *v);
  return out;
}

std::string TimestampText(std::string_view in) {
  auto v = datetime::ParseTimestamp(in);
  if (!v) return "ERROR " + v.error().sqlstate + ": " + v.error().message;
  std::string out;
  datetime::AppendTimestamp(out, *v);
  return out;
}

std::string TimestampTzText(std::string_view in) {
  auto v = datetime::ParseTimestampTz(in);
  if (!v) return "ERROR " + v.error().sqlstate + ": " + v.error().message;
  std::string out;
  datetime::AppendTimestampTz(out, *v);
  return out;
}

std::string IntervalText(std::string_view in) {
  auto v = interval::Parse(in);
  if (!v) return "ERROR " + v.error().sqlstate + ": " + v.error().message;
  std::string out;
  interval::AppendText(out, *v);
  return out;
}

Interval Iv(std::string_view in) {
  auto v = interval::Parse(in);
  EXPECT_TRUE(v) << in;
  return v ? *v : Interval{};
}

std::string Text(const Interval& v) {
  std::string out;
  interval::AppendText(out, v);
  return out;
}

// A session in `zone` for the scope of a test.
class InZone {
 public:
  explicit InZone(std::string_view zone) {
    context_.zone = tz::Find(zone);
    EXPECT_NE(context_.zone, nullptr) << zone;
    if (!context_.zone) context_.zone = tz::Utc();
    // 2024-06-15 10:00 UTC
    context_.transaction_start = context_.statement_start = 771760800000000;
  }
  const DateTimeContext* get() const { return &context_; }

 private:
  DateTimeContext context_;
};

TEST(DateTest, JulianDaysRoundTripAcrossTheCalendar) {
  EXPECT_EQ(datetime::DateToJulian(2000, 1, 1), datetime::kPostgresEpochJdate);
  EXPECT_EQ(datetime::DateToJulian(1970, 1, 1), datetime::kUnixEpochJdate);
  for (int jd = 0; jd < 5000000; jd += 997) {
    int y = 0, m = 0, d = 0;
    datetime::JulianToDate(jd, &y, &m, &d);
    ASSERT_EQ(datetime::DateToJulian(y, m, d), jd);
  }
}

TEST(DateTest, InputFormsPostgresAccepts) {
  EXPECT_EQ(DateText("2024-01-15"), "2024-01-15");
  EXPECT_EQ(DateText("20240115"), "2024-01-15");
  EXPECT_EQ(DateText("Jan 15 2024"), "2024-01-15");
  EXPECT_EQ(DateText("15-Jan-2024"), "2024-01-15");
  EXPECT_EQ(DateText("January 15, 2024"), "2024-01-15");
  EXPECT_EQ(DateText("01/15/2024"), "2024-01-15");
  EXPECT_EQ(DateText("2024-1-5"), "2024-01-05");
  EXPECT_EQ(DateText(" 2024-02-29 13:45 "), "2024-02-29");
  EXPECT_EQ(DateText("0044-03-15 BC"), "0044-03-15 BC");
  EXPECT_EQ(DateText("epoch"), "1970-01-01");
  EXPECT_EQ(DateText("infinity"), "infinity");
  EXPECT_EQ(DateText("-infinity"), "-infinity");
}

TEST(DateTest, BadInputIsSyntaxOrRangeError) {
  EXPECT_EQ(DateText("2023-02-29"),
            "ERROR 22008: date/time field value out of range: \"2023-02-29\"");
  EXPECT_EQ(DateText("2024-13-01"),
            "ERROR 22008: date/time field value out of range: \"2024-13-01\"");
  EXPECT_EQ(DateText("not a date"),
            "ERROR 22007: invalid input syntax for type date: \"not a date\"");
  EXPECT_EQ(DateText("5874898-01-01"), "ERROR 22008: date out of range: \"5874898-01-01\"");
  EXPECT_EQ(DateText(""), "ERROR 22007: invalid input syntax for type date: \"\"");
  EXPECT_EQ(DateText("2024-01-01 Not/AZone"),
            "ERROR 22023: time zone \"Not/AZone\" not recognized");
}

TEST(DateTest, TodayAndNowReadTheSessionZone) {
  InZone tokyo("Asia/Tokyo");  // 10:00 UTC is 19:00 in Tokyo, still the 15th
  DateTimeScope scope(tokyo.get());
  EXPECT_EQ(DateText("today"), "2024-06-15");
  EXPECT_EQ(DateText("tomorrow"), "2024-06-16");
  EXPECT_EQ(TimestampText("now"), "2024-06-15 19:00:00");
  EXPECT_EQ(TimestampTzText("now"), "2024-06-15 19:00:00+09");
  EXPECT_EQ(TimestampTzText("today"), "2024-06-15 00:00:00+09");
}

TEST(TimeTest, InputAndOutput) {
  auto t = [](std::string_view in) {
    auto v = datetime::ParseTime(in);
    if (!v) return "ERROR " + v.error().sqlstate;
    std::string out;
    datetime::AppendTime(out, *v);
    return out;
  };
  EXPECT_EQ(t("12:34:56.789"), "12:34:56.789");
  EXPECT_EQ(t("1:2:3"), "01:02:03");
  EXPECT_EQ(t("23:59:59.999999"), "23:59:59.999999");
  EXPECT_EQ(t("24:00:00"), "24:00:00");
  EXPECT_EQ(t("allballs"), "00:00:00");
  EXPECT_EQ(t("1:30 pm"), "13:30:00");
  EXPECT_EQ(t("25:00"), "ERROR 22008");
  EXPECT_EQ(t("12:60"), "ERROR 22008");
  EXPECT_EQ(t("noon"), "ERROR 22007");
}

TEST(TimestampTest, InputAndOutput) {
  EXPECT_EQ(TimestampText("2024-02-29 12:00:00"), "2024-02-29 12:00:00");
  EXPECT_EQ(TimestampText("2024-02-29T12:00:00.123456"), "2024-02-29 12:00:00.123456");
  EXPECT_EQ(TimestampText("2024-02-29 12:00:00.1234567"), "2024-02-29 12:00:00.123457");
  EXPECT_EQ(TimestampText("2024-02-29 12:00:00+02"), "2024-02-29 12:00:00");  // zone ignored
  EXPECT_EQ(TimestampText("2024-01-01 24:00"), "2024-01-02 00:00:00");
  EXPECT_EQ(TimestampText("0001-01-01 00:00 BC"), "0001-01-01 00:00:00 BC");
  EXPECT_EQ(TimestampText("2024-02-30 00:00"),
            "ERROR 22008: date/time field value out of range: \"2024-02-30 00:00\"");
  EXPECT_EQ(TimestampText("294277-01-01"), "ERROR 22008: timestamp out of range: \"294277-01-01\"");
}

TEST(TimestampTzTest, OffsetsZonesAndAbbreviations) {
  InZone utc("UTC");
  DateTimeScope scope(utc.get());
  EXPECT_EQ(TimestampTzText("2024-03-01 12:34:56.789+02"), "2024-03-01 10:34:56.789+00");
  EXPECT_EQ(TimestampTzText("2024-06-01 12:00 -05:30"), "2024-06-01 17:30:00+00");
  EXPECT_EQ(TimestampTzText("2024-06-01 12:00Z"), "2024-06-01 12:00:00+00");
  EXPECT_EQ(TimestampTzText("2024-06-01 12:00 PST"), "2024-06-01 20:00:00+00");
  EXPECT_EQ(TimestampTzText("2024-06-01 12:00:00 America/New_York"), "2024-06-01 16:00:00+00");
  InZone kolkata("Asia/Kolkata");
  DateTimeScope inner(kolkata.get());
  EXPECT_EQ(TimestampTzText("2024-01-01 00:00+00"), "2024-01-01 05:30:00+05:30");
}

TEST(TimestampTzTest, DaylightSavingGapsAndOverlapsAsPostgres) {
  InZone ny("America/New_York");
  DateTimeScope scope(ny.get());
  // 02:30 does not exist on 2024-03-10: read with the offset before the change (EST).
  EXPECT_EQ(TimestampTzText("2024-03-10 02:30"), "2024-03-10 03:30:00-04");
  // 01:30 happens twice on 2024-11-03: the later one (EST).
  EXPECT_EQ(TimestampTzText("2024-11-03 01:30"), "2024-11-03 01:30:00-05");
  // A day across the spring change is 23 hours.
  auto ts = datetime::ParseTimestampTz("2024-03-09 12:00");
  ASSERT_TRUE(ts);
  auto next = datetime::AddInterval(*ts, Interval{0, 1, 0}, true);
  ASSERT_TRUE(next);
  std::string out;
  datetime::AppendTimestampTz(out, *next);
  EXPECT_EQ(out, "2024-03-10 12:00:00-04");
}

TEST(TimestampTest, IntervalArithmeticClampsMonthEnds) {
  auto add = [](std::string_view ts, std::string_view span) {
    auto t = datetime::ParseTimestamp(ts);
    EXPECT_TRUE(t);
    auto r = datetime::AddInterval(*t, Iv(span), false);
    if (!r) return "ERROR " + r.error().sqlstate;
    std::string out;
    datetime::AppendTimestamp(out, *r);
    return out;
  };
  EXPECT_EQ(add("2024-01-31", "1 month"), "2024-02-29 00:00:00");
  EXPECT_EQ(add("2024-03-31", "-1 month"), "2024-02-29 00:00:00");
  EXPECT_EQ(add("2024-01-01 00:00", "1 month 1 day 1 hour"), "2024-02-02 01:00:00");
  EXPECT_EQ(add("2024-02-29", "1 year"), "2025-02-28 00:00:00");
  EXPECT_EQ(add("294276-12-31", "1 day"), "ERROR 22008");
}

TEST(TimestampTest, DifferenceAndAge) {
  auto ts = [](std::string_view s) { return *datetime::ParseTimestamp(s); };
  EXPECT_EQ(Text(*datetime::Difference(ts("2024-01-02 00:00"), ts("2024-01-01 12:00"))),
            "12:00:00");
  EXPECT_EQ(Text(*datetime::Difference(ts("2024-01-03 12:00"), ts("2024-01-01 00:00"))),
            "2 days 12:00:00");
  EXPECT_EQ(Text(*datetime::Age(ts("2024-03-01"), ts("2023-01-15"), false)),
            "1 year 1 mon 17 days");
  EXPECT_EQ(Text(*datetime::Age(ts("2024-02-29"), ts("2020-02-29"), false)), "4 years");
  // The manual's example: the borrowed month is the earlier value's.
  EXPECT_EQ(Text(*datetime::Age(ts("2001-04-10"), ts("1957-06-13"), false)),
            "43 years 9 mons 27 days");
  EXPECT_EQ(Text(*datetime::Age(ts("2023-01-15"), ts("2024-03-01"), false)),
            "-1 years -1 mons -17 days");
}

TEST(IntervalTest, InputFormsAndPostgresOutput) {
  EXPECT_EQ(IntervalText("1 day"), "1 day");
  EXPECT_EQ(IntervalText("1 year 2 months"), "1 year 2 mons");
  EXPECT_EQ(IntervalText("1 year 2 mons 3 days 04:05:06.789"), "1 year 2 mons 3 days 04:05:06.789");
  EXPECT_EQ(IntervalText("-1 day +2 hours"), "-1 days +02:00:00");
  EXPECT_EQ(IntervalText("1.5 days"), "1 day 12:00:00");
  EXPECT_EQ(IntervalText("1.5 months"), "1 mon 15 days");
  EXPECT_EQ(IntervalText("90 minutes"), "01:30:00");
  EXPECT_EQ(IntervalText("@ 1 hour ago"), "-01:00:00");
  EXPECT_EQ(IntervalText("-00:00:01"), "-00:00:01");
  EXPECT_EQ(IntervalText("1 02:03:04"), "1 day 02:03:04");
  EXPECT_EQ(IntervalText("P1Y2M3DT4H5M6S"), "1 year 2 mons 3 days 04:05:06");
  EXPECT_EQ(IntervalText("PT1.5S"), "00:00:01.5");
  EXPECT_EQ(IntervalText("0"), "00:00:00");
  EXPECT_EQ(IntervalText("-3 months"), "-3 mons");
  EXPECT_EQ(IntervalText("garbage"),
            "ERROR 22007: invalid input syntax for type interval: \"garbage\"");
  EXPECT_EQ(IntervalText("99999999999999999999999999999999999999999 seconds"),
            "ERROR 22015: interval field value out of range: "
            "\"99999999999999999999999999999999999999999 seconds\"");
  EXPECT_EQ(IntervalText("1 fortnight"),
            "ERROR 22007: invalid input syntax for type interval: \"1 fortnight\"");
}

TEST(IntervalTest, ArithmeticSpillsFractionsAsPostgres) {
  EXPECT_EQ(Text(*interval::Mul(Iv("1 day"), 2)), "2 days");
  EXPECT_EQ(Text(*interval::Div(Iv("1 hour"), 4)), "00:15:00");
  EXPECT_EQ(Text(*interval::Mul(Iv("1 mon"), 0.5)), "15 days");
  EXPECT_EQ(Text(*interval::Mul(Iv("1 day"), 0.1)), "02:24:00");
  EXPECT_EQ(Text(*interval::Sub(Iv("1 day"), Iv("1 hour"))), "1 day -01:00:00");
  EXPECT_EQ(Text(*interval::Negate(Iv("2 days"))), "-2 days");
  EXPECT_EQ(interval::Div(Iv("1 day"), 0).error().sqlstate, sqlstate::kDivisionByZero);
  EXPECT_EQ(Text(*interval::JustifyHours(Iv("50 hours"))), "2 days 02:00:00");
  EXPECT_EQ(Text(*interval::JustifyDays(Iv("45 days"))), "1 mon 15 days");
  EXPECT_EQ(Text(*interval::JustifyInterval(Iv("1 month -1 hour"))), "29 days 23:00:00");
}

TEST(IntervalTest, ComparesAndKeysWithThirtyDayMonths) {
  EXPECT_EQ(interval::Compare(Iv("30 days"), Iv("1 month")), 0);
  EXPECT_EQ(interval::Compare(Iv("25 hours"), Iv("1 day 1 hour")), 0);
  EXPECT_GT(interval::Compare(Iv("1 day"), Iv("23 hours")), 0);
  std::string a, b, c;
  interval::AppendKey(a, Iv("-1 year"));
  interval::AppendKey(b, Iv("1 hour"));
  interval::AppendKey(c, Iv("1 day"));
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

}  // namespace
}  // namespace sqlrite::engine
