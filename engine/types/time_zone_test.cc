#include "engine/types/time_zone.h"

#include <gtest/gtest.h>

namespace sqlrite::engine::tz {
namespace {

// Unix seconds of a UTC calendar time.
int64_t Unix(int y, int m, int d, int hh = 0, int mm = 0) {
  // days_from_civil
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (era * 146097 + doe - 719468) * 86400 + hh * 3600 + mm * 60;
}

TEST(TimeZoneTest, ReadsBerlinFromTheSystemTzdata) {
  auto berlin = Find("Europe/Berlin");
  ASSERT_NE(berlin, nullptr) << "the system tzdata (/usr/share/zoneinfo) is missing";
  EXPECT_EQ(berlin->name(), "Europe/Berlin");
  std::string abbrev;
  EXPECT_EQ(berlin->OffsetAt(Unix(2024, 7, 1), &abbrev), 7200);
  EXPECT_EQ(abbrev, "CEST");
  EXPECT_EQ(berlin->OffsetAt(Unix(2024, 1, 1), &abbrev), 3600);
  EXPECT_EQ(abbrev, "CET");
  // The change: 2024-03-31 01:00 UTC.
  EXPECT_EQ(berlin->OffsetAt(Unix(2024, 3, 31, 0, 59)), 3600);
  EXPECT_EQ(berlin->OffsetAt(Unix(2024, 3, 31, 1, 0)), 7200);
  // Before the zone had DST rules: 1900 is CET already (1893 onwards).
  EXPECT_EQ(berlin->OffsetAt(Unix(1900, 6, 1)), 3600);
}

TEST(TimeZoneTest, FollowsTheFooterRuleAfterTheLastTransition) {
  auto ny = Find("America/New_York");
  ASSERT_NE(ny, nullptr);
  std::string abbrev;
  EXPECT_EQ(ny->OffsetAt(Unix(2100, 7, 1), &abbrev), -4 * 3600);
  EXPECT_EQ(abbrev, "EDT");
  EXPECT_EQ(ny->OffsetAt(Unix(2100, 12, 1), &abbrev), -5 * 3600);
  EXPECT_EQ(abbrev, "EST");
}

TEST(TimeZoneTest, LocalTimesInGapsAndOverlapsFollowPostgres) {
  auto ny = Find("America/New_York");
  ASSERT_NE(ny, nullptr);
  // 2024-03-10 02:30 (skipped) is read as EST: 07:30 UTC.
  EXPECT_EQ(ny->LocalToUtc(Unix(2024, 3, 10, 2, 30)), Unix(2024, 3, 10, 7, 30));
  // 2024-11-03 01:30 (repeated) is the later instant, EST: 06:30 UTC.
  EXPECT_EQ(ny->LocalToUtc(Unix(2024, 11, 3, 1, 30)), Unix(2024, 11, 3, 6, 30));
  EXPECT_EQ(ny->LocalToUtc(Unix(2024, 7, 4, 12, 0)), Unix(2024, 7, 4, 16, 0));
}

TEST(TimeZoneTest, NamesMatchWithoutCaseAndKeepTheirSpelling) {
  auto zone = Find("europe/berlin");
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->name(), "Europe/Berlin");
  ASSERT_NE(Find("utc"), nullptr);
  EXPECT_EQ(Find("utc")->OffsetAt(0), 0);
  EXPECT_EQ(Find("Not/AZone"), nullptr);
  EXPECT_EQ(Find("../../etc/passwd"), nullptr);
  EXPECT_EQ(Find("/etc/localtime"), nullptr);
  EXPECT_EQ(Find(""), nullptr);
  EXPECT_EQ(Find("zone.tab"), nullptr);  // a tzdata file that is not TZif
}

TEST(TimeZoneTest, NumbersAreHoursEastAsSetTimeZoneReadsThem) {
  auto plus2 = Find("+02");
  ASSERT_NE(plus2, nullptr);
  EXPECT_EQ(plus2->OffsetAt(0), 7200);
  EXPECT_EQ(plus2->name(), "<+02>-02");
  auto minus530 = Find("-5.5");
  ASSERT_NE(minus530, nullptr);
  EXPECT_EQ(minus530->OffsetAt(0), -19800);
  EXPECT_EQ(minus530->name(), "<-05:30>+05:30");
}

TEST(TimeZoneTest, OffsetsWithMinutesAndAtTimeZoneNumbersArePosixWest) {
  // SET TIME ZONE '+05:30' is not a plain number: POSIX's sign, shown as written.
  auto set = Find("+05:30");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->OffsetAt(0), -19800);
  EXPECT_EQ(set->name(), "+05:30");
  // AT TIME ZONE reads every offset as POSIX does, a plain number too.
  auto at = FindPosix("-3");
  ASSERT_NE(at, nullptr);
  EXPECT_EQ(at->OffsetAt(0), 3 * 3600);
  EXPECT_EQ(FindPosix("+3")->OffsetAt(0), -3 * 3600);
  EXPECT_EQ(FindPosix("-03:30")->OffsetAt(0), 3 * 3600 + 1800);
  EXPECT_EQ(FindPosix("UTC+3")->OffsetAt(0), -3 * 3600);
  // The two readings of "-3" are cached apart.
  EXPECT_EQ(Find("-3")->OffsetAt(0), -3 * 3600);
  EXPECT_EQ(FindPosix("-3")->OffsetAt(0), 3 * 3600);
  EXPECT_EQ(FindPosix("not a zone"), nullptr);
}

TEST(TimeZoneTest, PosixRulesParse) {
  auto rule = TimeZone::ParsePosixRule("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->std_offset, 3600);
  EXPECT_EQ(rule->dst_offset, 7200);
  EXPECT_EQ(rule->end_time, 3 * 3600);
  auto fixed = TimeZone::ParsePosixRule("<+0330>-3:30");
  ASSERT_TRUE(fixed);
  EXPECT_FALSE(fixed->has_dst);
  EXPECT_EQ(fixed->std_offset, 3 * 3600 + 1800);
  EXPECT_FALSE(TimeZone::ParsePosixRule("EST5EDT,J60,J300"));
  EXPECT_FALSE(TimeZone::ParsePosixRule("garbage"));
}

TEST(TimeZoneTest, RejectsBytesThatAreNotTzif) {
  EXPECT_FALSE(TimeZone::FromTzif("x", ""));
  EXPECT_FALSE(TimeZone::FromTzif("x", "TZif2" + std::string(100, '\xff')));
  std::string truncated = "TZif2" + std::string(15, '\0');
  for (int i = 0; i < 6; ++i) truncated += std::string("\0\0\0\x05", 4);
  EXPECT_FALSE(TimeZone::FromTzif("x", truncated));
}

}  // namespace
}  // namespace sqlrite::engine::tz
