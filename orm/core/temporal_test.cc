#include "orm/core/temporal.h"

#include <gtest/gtest.h>

#include <vector>

namespace sqlrite::orm {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

TEST(Temporal, FormatsAreFixedWidthUtc) {
  Timestamp t = sys_days(2026y / 12 / 6) + 7h + 1min + 53s + 123456us;
  EXPECT_EQ(FormatTimestamp(t), "2026-12-06 07:01:53.123456+00:00");
  EXPECT_EQ(FormatTimestamp(Timestamp{}), "1970-01-01 00:00:00.000000+00:00");
  // Before the epoch: the day is floored, the time of day stays positive.
  EXPECT_EQ(FormatTimestamp(Timestamp{} - 1us), "1969-12-31 23:59:59.999999+00:00");
  EXPECT_EQ(FormatDate(2026y / 2 / 3), "2026-02-03");
  EXPECT_EQ(FormatDateTime(local_days(2026y / 12 / 6) + 7h + 5us), "2026-12-06 07:00:00.000005");
}

TEST(Temporal, ParsesItsOwnFormsAndPostgresOutput) {
  Timestamp t = sys_days(2026y / 12 / 6) + 7h + 1min + 53s + 123456us;
  EXPECT_EQ(ParseTimestamp(FormatTimestamp(t)).value(), t);
  EXPECT_EQ(ParseTimestamp("2026-12-06 08:01:53.123456+01").value(), t);
  EXPECT_EQ(ParseTimestamp("2026-12-06 02:31:53.123456-04:30").value(), t);
  EXPECT_EQ(ParseTimestamp("2026-12-06T07:01:53.123456Z").value(), t);
  EXPECT_EQ(ParseTimestamp("2026-12-06 07:01:53.1234567").value(), t);  // no zone: UTC
  EXPECT_EQ(ParseTimestamp("2026-12-06 07:01:53+00").value(), t - 123456us);
  EXPECT_EQ(ParseDate("2024-02-29").value(), 2024y / 2 / 29);
  EXPECT_EQ(ParseDateTime("2026-12-06 07:00:00.5").value(),
            local_days(2026y / 12 / 6) + 7h + 500ms);
  for (const char* bad : {"", "infinity", "2026-12-06", "2026-13-01 00:00:00",
                          "2026-12-06 25:00:00", "2026-12-06 07:01:53 BC", "12/06/2026 07:01:53",
                          "2026-12-06 07:01:53.", "2026-12-06 07:01:53+1"}) {
    auto r = ParseTimestamp(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().sqlstate, "22007");
  }
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDateTime("2026-12-06 07:00:00+00"));
}

TEST(Temporal, TimesOfDay) {
  EXPECT_EQ(FormatTime(Time(7h, 1min, 53s, 123456us)), "07:01:53.123456");
  EXPECT_EQ(FormatTime(Time{}), "00:00:00.000000");
  EXPECT_EQ(FormatTime(Time(24h)), "24:00:00.000000");
  EXPECT_EQ(FormatTime(Time(1500ms)), "00:00:01.500000");
  // Outside the day the text says so, and PostgreSQL refuses it.
  EXPECT_EQ(FormatTime(Time(-1s)), "-00:00:01.000000");
  EXPECT_EQ(FormatTime(Time(100h)), "100:00:00.000000");
  EXPECT_EQ(ParseTime("07:01:53.123456").value(), Time(7h, 1min, 53s, 123456us));
  EXPECT_EQ(ParseTime("07:01:53").value(), Time(7h, 1min, 53s));  // PostgreSQL's, no fraction
  EXPECT_EQ(ParseTime("07:01:53.5").value(), Time(7h, 1min, 53s, 500ms));
  EXPECT_EQ(ParseTime("24:00:00").value(), Time(24h));
  for (const char* bad : {"", "7:01:53", "07:01", "24:00:01", "24:00:00.000001", "07:60:00",
                          "07:01:53+02", "2026-12-06 07:01:53", "07:01:53.", "allballs"}) {
    auto r = ParseTime(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().sqlstate, "22007");
  }
  // Fixed width: the text order is the time order (SQLite compares the TEXT bytewise).
  std::vector<Time> times = {Time{},
                             Time(1us),
                             Time(9h, 59min, 59s, 999999us),
                             Time(10h, 0min),
                             Time(23h, 59min, 59s, 999999us),
                             Time(24h)};
  for (std::size_t i = 1; i < times.size(); ++i) {
    EXPECT_LT(times[i - 1], times[i]);
    EXPECT_LT(FormatTime(times[i - 1]), FormatTime(times[i]));
  }
}

TEST(Temporal, TextOrderIsTimeOrder) {
  Timestamp a = sys_days(999y / 1 / 1) + 1us, b = sys_days(2026y / 1 / 1), c = b + 1us;
  EXPECT_LT(FormatTimestamp(a), FormatTimestamp(b));
  EXPECT_LT(FormatTimestamp(b), FormatTimestamp(c));
}

}  // namespace
}  // namespace sqlrite::orm
