#pragma once
// date (1082), time (1083), timestamp (1114) and timestamptz (1184), as PostgreSQL 15 keeps
// them: all int64_t Datums, so they order, hash and key like integers.
//   date         days since 2000-01-01; INT32_MIN / INT32_MAX are -infinity / infinity
//   time         microseconds since midnight, 0 .. 24:00:00 inclusive
//   timestamp    microseconds since 2000-01-01 00:00 (a wall-clock reading, no zone)
//   timestamptz  microseconds since 2000-01-01 00:00 UTC (an instant; shown in the session's
//                TimeZone); INT64_MIN / INT64_MAX are -infinity / infinity for both
// Years are astronomical inside (0 is 1 BC), printed with " BC" as PostgreSQL prints them.
//
// Text input accepts PostgreSQL's common forms under DateStyle ISO, MDY: '2024-03-01',
// '20240301', 'Mar 1 2024', '1-Mar-2024', '03/01/2024', ISO 8601 with T, times with fractions,
// AM/PM, BC, zone offsets ('+02', '-05:30', 'Z'), zone abbreviations (PST, CET, ...), tzdata
// names ('2024-06-01 12:00 America/New_York'), and the special words epoch, infinity,
// -infinity, now, today, tomorrow, yesterday, allballs (now and today read the current
// DateTimeContext: engine/datetime_context.h). Output is DateStyle ISO's.
// Errors: 22007 invalid input syntax, 22008 field value out of range / date or timestamp out of
// range, with PostgreSQL's messages.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/types/interval.h"
#include "engine/types/time_zone.h"

namespace sqlrite::engine::datetime {

inline constexpr int64_t kDateNoBegin = std::numeric_limits<int32_t>::min();
inline constexpr int64_t kDateNoEnd = std::numeric_limits<int32_t>::max();
inline constexpr int64_t kNoBegin = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kNoEnd = std::numeric_limits<int64_t>::max();
inline constexpr int kPostgresEpochJdate = 2451545;  // 2000-01-01
inline constexpr int kUnixEpochJdate = 2440588;      // 1970-01-01
inline constexpr int64_t kUsecPerSec = interval::kUsecPerSec;
inline constexpr int64_t kUsecPerDay = interval::kUsecPerDay;

// Julian day numbers (PostgreSQL's date2j / j2date).
int DateToJulian(int year, int month, int day);
void JulianToDate(int julian, int* year, int* month, int* day);
int DaysInMonth(int year, int month);

inline bool IsFiniteDate(int64_t d) { return d != kDateNoBegin && d != kDateNoEnd; }
inline bool IsFiniteTimestamp(int64_t t) { return t != kNoBegin && t != kNoEnd; }

// A timestamp's calendar fields.
struct Fields {
  int year = 2000;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t usec = 0;
};
// REQUIRES: IsFiniteTimestamp(ts).
Fields SplitTimestamp(int64_t ts);
// Error: 22008 "timestamp out of range" (message), when the fields are past its range.
Result<int64_t> JoinTimestamp(const Fields& f, std::string_view message = "timestamp out of range");
// Whether a date (days since 2000) / timestamp lies in PostgreSQL's range for its type.
bool DateInRange(int64_t days);
bool TimestampInRange(int64_t ts);

// An instant as the wall clock of `zone` reads it, and back (PostgreSQL's rules for skipped and
// repeated hours: tz::TimeZone::LocalToUtc). REQUIRES: finite.
int64_t UtcToLocal(int64_t utc, const tz::TimeZone& zone, int32_t* offset_east = nullptr);
int64_t LocalToUtc(int64_t local, const tz::TimeZone& zone);

Result<int64_t> ParseDate(std::string_view text);
Result<int64_t> ParseTime(std::string_view text);
Result<int64_t> ParseTimestamp(std::string_view text);
Result<int64_t> ParseTimestampTz(std::string_view text);

void AppendDate(std::string& out, int64_t days);
void AppendTime(std::string& out, int64_t usecs);
void AppendTimestamp(std::string& out, int64_t ts);
// In the current DateTimeContext's zone.
void AppendTimestampTz(std::string& out, int64_t ts);
// "+02", "-05:30", "+05:45:10": an offset as ISO output prints it.
void AppendOffset(std::string& out, int32_t offset_east);

// Conversions (casts); infinities map to infinities. Errors: 22008 "date out of range for
// timestamp", "timestamp out of range", "date out of range".
Result<int64_t> DateToTimestamp(int64_t days);
Result<int64_t> DateToTimestampTz(int64_t days);
Result<int64_t> TimestampToDate(int64_t ts);
Result<int64_t> TimestampTzToDate(int64_t ts);
Result<int64_t> TimestampToTimestampTz(int64_t ts);
Result<int64_t> TimestampTzToTimestamp(int64_t ts);
int64_t TimestampToTime(int64_t ts);
int64_t TimestampTzToTime(int64_t ts);

// timestamp(tz) + interval: months first (the day clamped to the month's end), then days (for
// timestamptz both in the session's zone, so a day across a DST change is 23 or 25 hours), then
// the time. Error: 22008 "timestamp out of range".
Result<int64_t> AddInterval(int64_t ts, const Interval& span, bool with_zone);
// date +/- days. Error: 22008 "date out of range".
Result<int64_t> AddDays(int64_t days, int64_t n);
// timestamp - timestamp: justify_hours of the difference.
Result<Interval> Difference(int64_t a, int64_t b);
// time +/- interval: the interval's time part, wrapped to a day.
int64_t TimeAddInterval(int64_t time, const Interval& span);
// age(): the field-wise difference a - b (years, months, days, time), as PostgreSQL computes it.
Result<Interval> Age(int64_t a, int64_t b, bool with_zone);

}  // namespace sqlrite::engine::datetime
