#pragma once
// An interval's field qualifier and precision (interval day to second(3), interval(2)):
// PostgreSQL's typmod, the range of fields (INTERVAL_MASK bits) in bits 16..30 and the
// fractional-second precision in the low 16 bits (0xffff: none), as intervaltypmodin builds it.
// The range steers how text is read (interval_in passes it to DecodeInterval) and which fields
// a value keeps (AdjustIntervalForTypmod); -1 is no typmod (every field, full precision).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/types/interval.h"

namespace sqlrite::engine::interval {

inline constexpr int32_t kMonthField = 1 << 1;
inline constexpr int32_t kYearField = 1 << 2;
inline constexpr int32_t kDayField = 1 << 3;
inline constexpr int32_t kHourField = 1 << 10;
inline constexpr int32_t kMinuteField = 1 << 11;
inline constexpr int32_t kSecondField = 1 << 12;
inline constexpr int32_t kFullRange = 0x7fff;
inline constexpr int32_t kFullPrecision = 0xffff;
inline constexpr int32_t kMaxPrecision = 6;

inline constexpr int32_t MakeTypmod(int32_t range, int32_t precision) {
  return (range << 16) | (precision & 0xffff);
}
inline constexpr int32_t TypmodRange(int32_t typmod) {
  return typmod < 0 ? kFullRange : (typmod >> 16) & 0x7fff;
}
inline constexpr int32_t TypmodPrecision(int32_t typmod) {
  return typmod < 0 ? kFullPrecision : typmod & 0xffff;
}

// Whether range is one the grammar produces (YEAR, DAY TO SECOND, ... or the full range).
inline constexpr bool IsValidRange(int32_t range) {
  switch (range) {
    case kYearField:
    case kMonthField:
    case kDayField:
    case kHourField:
    case kMinuteField:
    case kSecondField:
    case kYearField | kMonthField:
    case kDayField | kHourField:
    case kDayField | kHourField | kMinuteField:
    case kDayField | kHourField | kMinuteField | kSecondField:
    case kHourField | kMinuteField:
    case kHourField | kMinuteField | kSecondField:
    case kMinuteField | kSecondField:
    case kFullRange:
      return true;
    default:
      return false;
  }
}
// intervaltypmodout: " day to second(3)", "(2)", "" (-1, or the full range without p).
std::string TypmodText(int32_t typmod);

// interval_in under a range: a number without a unit is read as the range's last field ('5'
// with HOUR is 5 hours, '1 2' with DAY TO HOUR 1 day 2 hours) and 'm:s' as minutes and seconds
// under MINUTE TO SECOND, as DecodeInterval does. Parse(text) is ParseInRange(text, kFullRange).
Result<Interval> ParseInRange(std::string_view text, int32_t range);

// AdjustIntervalForTypmod: the fields right of the range's last one dropped (truncated toward
// zero: INTERVAL HOUR keeps whole hours of the time), the microseconds rounded half away from
// zero to the precision. A typmod of -1 keeps the value.
Interval ApplyTypmod(Interval v, int32_t typmod);

}  // namespace sqlrite::engine::interval
