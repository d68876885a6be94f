#pragma once
// interval (OID 1186): months, days and microseconds kept apart, as PostgreSQL keeps them,
// because a month and a day have no fixed length (1 month is 28..31 days, 1 day 23..25 hours
// across a DST change): timestamp + interval adds each part with its own calendar rule.
// An Interval is its own Datum alternative (16 bytes, so Datum stays 40 bytes).
//
// Text input as interval_in with IntervalStyle postgres ('1 year 2 mons 3 days 04:05:06',
// '@ 1 hour ago', '1.5 days', '-1 day +2 hours', '1 02:03:04', ISO 8601 'P1Y2M3DT4H5M6S');
// output as interval_out ('1 year 2 mons 3 days 04:05:06.789', '-00:00:01', '00:00:00').
// Comparison, hashing and index keys treat a month as 30 days and a day as 24 hours
// (interval_cmp_value), so '1 mon' = '30 days' although they print differently.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::engine {

struct Interval {
  int64_t time = 0;  // microseconds
  int32_t day = 0;
  int32_t month = 0;
  // Field-wise equality (the representation); SQL equality is interval::Compare == 0.
  friend bool operator==(const Interval&, const Interval&) = default;
};

namespace interval {

inline constexpr int64_t kUsecPerSec = 1000000;
inline constexpr int64_t kUsecPerMinute = 60 * kUsecPerSec;
inline constexpr int64_t kUsecPerHour = 60 * kUsecPerMinute;
inline constexpr int64_t kUsecPerDay = 24 * kUsecPerHour;
inline constexpr int kDaysPerMonth = 30;

// interval_in. Errors: 22007 "invalid input syntax for type interval: "..."", 22015 "interval
// field value out of range: "..."".
Result<Interval> Parse(std::string_view text);
// interval_out (IntervalStyle postgres).
void AppendText(std::string& out, const Interval& v);

// interval_cmp: <0, 0, >0 by the 30-day-month, 24-hour-day span.
int Compare(const Interval& a, const Interval& b);
// The span interval_cmp_value orders by, as 16 big-endian bytes with the sign bit flipped
// (memcmp order = Compare order).
void AppendKey(std::string& out, const Interval& v);

// + - unary -, * and / by a float8 (interval_mul / interval_div: fractions of a month spill
// into days and of a day into time). Errors: 22008 "interval out of range", 22012 division by
// zero.
Result<Interval> Add(const Interval& a, const Interval& b);
Result<Interval> Sub(const Interval& a, const Interval& b);
Result<Interval> Negate(const Interval& a);
Result<Interval> Mul(const Interval& a, double factor);
Result<Interval> Div(const Interval& a, double divisor);

// justify_hours (24-hour units of time into days), justify_days (30-day units into months),
// justify_interval (both, with the signs made consistent).
Result<Interval> JustifyHours(const Interval& a);
Result<Interval> JustifyDays(const Interval& a);
Result<Interval> JustifyInterval(const Interval& a);

}  // namespace interval
}  // namespace sqlrite::engine
