#include "engine/types/interval.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "common/sqlstate.h"
#include "engine/types/interval_typmod.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine::interval {
namespace {

__extension__ typedef unsigned __int128 UInt128;

tl::unexpected<Error> BadSyntax(std::string_view text) {
  return Fail(sqlstate::kInvalidDatetimeFormat,
              "invalid input syntax for type interval: \"" + std::string(text) + "\"");
}
// PostgreSQL's ERRCODE_INTERVAL_FIELD_OVERFLOW (22015), which only interval input raises.
constexpr const char* kIntervalFieldOverflow = "22015";

tl::unexpected<Error> FieldOverflow(std::string_view text) {
  return Fail(kIntervalFieldOverflow,
              "interval field value out of range: \"" + std::string(text) + "\"");
}
tl::unexpected<Error> OutOfRange() {
  return Fail(sqlstate::kDatetimeFieldOverflow, "interval out of range");
}

// PostgreSQL's TSROUND: to microsecond precision, so that 0.1 * 3 days is 7:12:00, not 7:11:59.999.
double TsRound(double v) { return std::rint(v * 1e6) / 1e6; }

bool FitsInt32(double v) { return v >= -2147483648.0 && v < 2147483648.0; }
bool FitsInt64(double v) { return v >= -9223372036854775808.0 && v < 9223372036854775808.0; }

// What the fields of an interval literal add up to, before the check that each fits.
struct Accumulator {
  Int128 months = 0;
  Int128 days = 0;
  Int128 usecs = 0;
  bool overflow = false;  // a number too large for any field ("1e40 seconds")

  // Whether value may be converted to an integer (larger ones overflow every field anyway).
  bool Fits(double value) {
    if (std::fabs(value) < 1e17) return true;
    overflow = true;
    return false;
  }

  // A number of `unit_usecs` (a time unit): the fraction kept to the microsecond.
  void AddTime(double value, int64_t unit_usecs) {
    if (!Fits(value)) return;
    const double whole = std::trunc(value);
    usecs += static_cast<Int128>(whole) * unit_usecs;
    usecs += static_cast<Int128>(std::llround((value - whole) * static_cast<double>(unit_usecs)));
  }
  // A number of days (or weeks: days_per = 7): the fraction goes into time.
  void AddDays(double value, int days_per) {
    if (!Fits(value)) return;
    const double whole = std::trunc(value);
    days += static_cast<Int128>(whole) * days_per;
    const double frac_days = TsRound((value - whole) * days_per);
    const double frac_whole = std::trunc(frac_days);
    days += static_cast<Int128>(frac_whole);
    AddTime(frac_days - frac_whole, kUsecPerDay);
  }
  // A number of months (or years...: months_per = 12): PostgreSQL rounds a fraction of a year
  // to whole months, and spreads a fraction of a month into days and time.
  void AddMonths(double value, int months_per) {
    if (!Fits(value)) return;
    const double whole = std::trunc(value);
    months += static_cast<Int128>(whole) * months_per;
    if (months_per == 1) {
      AddDays((value - whole) * kDaysPerMonth, 1);
    } else {
      months += static_cast<Int128>(std::rint((value - whole) * months_per));
    }
  }
};

enum class Unit {
  kNone,
  kMicro,
  kMilli,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kAgo
};

Unit LookupUnit(std::string_view w) {
  struct Entry {
    std::string_view name;
    Unit unit;
  };
  static constexpr Entry kUnits[] = {
      {"microsecond", Unit::kMicro},
      {"microseconds", Unit::kMicro},
      {"us", Unit::kMicro},
      {"usec", Unit::kMicro},
      {"usecs", Unit::kMicro},
      {"useconds", Unit::kMicro},
      {"millisecond", Unit::kMilli},
      {"milliseconds", Unit::kMilli},
      {"ms", Unit::kMilli},
      {"msec", Unit::kMilli},
      {"msecs", Unit::kMilli},
      {"mseconds", Unit::kMilli},
      {"second", Unit::kSecond},
      {"seconds", Unit::kSecond},
      {"s", Unit::kSecond},
      {"sec", Unit::kSecond},
      {"secs", Unit::kSecond},
      {"minute", Unit::kMinute},
      {"minutes", Unit::kMinute},
      {"m", Unit::kMinute},
      {"min", Unit::kMinute},
      {"mins", Unit::kMinute},
      {"hour", Unit::kHour},
      {"hours", Unit::kHour},
      {"h", Unit::kHour},
      {"hr", Unit::kHour},
      {"hrs", Unit::kHour},
      {"day", Unit::kDay},
      {"days", Unit::kDay},
      {"d", Unit::kDay},
      {"week", Unit::kWeek},
      {"weeks", Unit::kWeek},
      {"w", Unit::kWeek},
      {"month", Unit::kMonth},
      {"months", Unit::kMonth},
      {"mon", Unit::kMonth},
      {"mons", Unit::kMonth},
      {"year", Unit::kYear},
      {"years", Unit::kYear},
      {"y", Unit::kYear},
      {"yr", Unit::kYear},
      {"yrs", Unit::kYear},
      {"decade", Unit::kDecade},
      {"decades", Unit::kDecade},
      {"dec", Unit::kDecade},
      {"decs", Unit::kDecade},
      {"century", Unit::kCentury},
      {"centuries", Unit::kCentury},
      {"c", Unit::kCentury},
      {"cent", Unit::kCentury},
      {"millennium", Unit::kMillennium},
      {"millennia", Unit::kMillennium},
      {"millenniums", Unit::kMillennium},
      {"mil", Unit::kMillennium},
      {"mils", Unit::kMillennium},
      {"ago", Unit::kAgo},
  };
  for (const Entry& e : kUnits) {
    if (e.name == w) return e.unit;
  }
  return Unit::kNone;
}

void AddUnit(Accumulator& acc, double value, Unit unit) {
  switch (unit) {
    case Unit::kMicro:
      acc.AddTime(value, 1);
      break;
    case Unit::kMilli:
      acc.AddTime(value, 1000);
      break;
    case Unit::kSecond:
    case Unit::kNone:
      acc.AddTime(value, kUsecPerSec);
      break;
    case Unit::kMinute:
      acc.AddTime(value, kUsecPerMinute);
      break;
    case Unit::kHour:
      acc.AddTime(value, kUsecPerHour);
      break;
    case Unit::kDay:
      acc.AddDays(value, 1);
      break;
    case Unit::kWeek:
      acc.AddDays(value, 7);
      break;
    case Unit::kMonth:
      acc.AddMonths(value, 1);
      break;
    case Unit::kYear:
      acc.AddMonths(value, 12);
      break;
    case Unit::kDecade:
      acc.AddMonths(value, 120);
      break;
    case Unit::kCentury:
      acc.AddMonths(value, 1200);
      break;
    case Unit::kMillennium:
      acc.AddMonths(value, 12000);
      break;
    case Unit::kAgo:
      break;
  }
}

// A decimal number with an optional sign and fraction at s[i...]; advances i.
bool ReadNumber(std::string_view s, size_t& i, double* value) {
  size_t start = i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
    ++i;
    ++digits;
  }
  if (digits == 0) {
    i = start;
    return false;
  }
  std::string text(s.substr(start, i - start));
  if (text == "." || text == "+." || text == "-.") return false;
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

enum class TimeField { kOk, kBadFormat, kOutOfRange };

// h:m[:s[.f]] without a sign, as microseconds. As DecodeTime reads an interval's time: m:s.f is
// always minutes and seconds, m:s only under MINUTE TO SECOND; minutes past 59 or seconds past 60
// are out of range (22015), not bad syntax.
TimeField ParseUnsignedTimeField(std::string_view t, int32_t range, Int128* usecs) {
  std::vector<std::string_view> parts;
  size_t from = 0;
  for (size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == ':') {
      parts.push_back(t.substr(from, i - from));
      from = i + 1;
    }
  }
  if (parts.size() < 2 || parts.size() > 3) return TimeField::kBadFormat;
  // A whole number too long for int64 is out of range (22015, as strtoi64's ERANGE), not bad
  // syntax.
  auto read_int = [](std::string_view p, int64_t* v) {
    if (p.empty()) return TimeField::kBadFormat;
    auto r = std::from_chars(p.data(), p.data() + p.size(), *v);
    if (r.ptr != p.data() + p.size()) return TimeField::kBadFormat;
    if (r.ec == std::errc::result_out_of_range) return TimeField::kOutOfRange;
    return r.ec == std::errc() ? TimeField::kOk : TimeField::kBadFormat;
  };
  auto read_seconds = [](std::string_view p, Int128* us) {
    std::string sec(p);
    if (sec.empty() || !std::isdigit(static_cast<unsigned char>(sec[0]))) {
      return TimeField::kBadFormat;
    }
    char* end = nullptr;
    const double s = std::strtod(sec.c_str(), &end);
    if (end != sec.c_str() + sec.size()) return TimeField::kBadFormat;
    if (s >= 61) return TimeField::kOutOfRange;
    *us = std::llround(s * 1e6);
    return TimeField::kOk;
  };
  // Every product below is in Int128, and the minutes are checked before they are used, so no
  // field can overflow (the caller checks the total against int64).
  Int128 total = 0;
  int64_t minute = 0;
  if (parts.size() == 2 &&
      (parts[1].find('.') != std::string_view::npos || range == (kMinuteField | kSecondField))) {
    Int128 seconds = 0;
    if (TimeField r = read_int(parts[0], &minute); r != TimeField::kOk) return r;
    if (TimeField r = read_seconds(parts[1], &seconds); r != TimeField::kOk) return r;
    total = static_cast<Int128>(minute) * kUsecPerMinute + seconds;
  } else {
    int64_t hour = 0;
    if (TimeField r = read_int(parts[0], &hour); r != TimeField::kOk) return r;
    if (TimeField r = read_int(parts[1], &minute); r != TimeField::kOk) return r;
    total = static_cast<Int128>(hour) * kUsecPerHour + static_cast<Int128>(minute) * kUsecPerMinute;
    if (parts.size() == 3) {
      Int128 seconds = 0;
      if (TimeField r = read_seconds(parts[2], &seconds); r != TimeField::kOk) return r;
      total += seconds;
    }
  }
  if (minute < 0 || minute > 59) return TimeField::kOutOfRange;
  *usecs = total;
  return TimeField::kOk;
}

// h:m[:s[.f]] with an optional sign. A signed time that DecodeTimeForInterval refuses for any
// reason (or whose magnitude passes int64) is read again as a number, which stops at the ':', so
// it is bad syntax (22007): '-0:60' is 22007 where '0:60' is 22015; only hours past int64 are
// out of range there too (strtoi64's ERANGE).
TimeField ParseTimeField(std::string_view t, int32_t range, Int128* usecs) {
  const bool sign = !t.empty() && (t[0] == '+' || t[0] == '-');
  const bool negative = sign && t[0] == '-';
  Int128 total = 0;
  const TimeField r = ParseUnsignedTimeField(sign ? t.substr(1) : t, range, &total);
  if (sign && (r != TimeField::kOk || total > std::numeric_limits<int64_t>::max())) {
    const std::string_view hours = t.substr(negative ? 0 : 1, t.find(':') - (negative ? 0 : 1));
    int64_t v = 0;
    const auto n = std::from_chars(hours.data(), hours.data() + hours.size(), v);
    return n.ec == std::errc::result_out_of_range ? TimeField::kOutOfRange : TimeField::kBadFormat;
  }
  if (r != TimeField::kOk) return r;
  *usecs = negative ? -total : total;
  return TimeField::kOk;
}

// The field DecodeInterval gives a number without a unit when nothing right of it decides: the
// range's last (seconds for the full range).
Unit RangeUnit(int32_t range) {
  switch (range) {
    case kYearField:
      return Unit::kYear;
    case kMonthField:
    case kYearField | kMonthField:
      return Unit::kMonth;
    case kDayField:
      return Unit::kDay;
    case kHourField:
    case kDayField | kHourField:
      return Unit::kHour;
    case kMinuteField:
    case kHourField | kMinuteField:
    case kDayField | kHourField | kMinuteField:
      return Unit::kMinute;
    default:
      return Unit::kSecond;
  }
}

// DecodeInterval's field masks: each field may be given once (a time field gives hours,
// minutes and seconds; seconds with a fraction also the milli- and microseconds).
constexpr uint32_t UnitMask(Unit u) { return 1u << static_cast<int>(u); }
constexpr uint32_t kAllSecondsMask =
    UnitMask(Unit::kSecond) | UnitMask(Unit::kMilli) | UnitMask(Unit::kMicro);
constexpr uint32_t kTimeMask = UnitMask(Unit::kHour) | UnitMask(Unit::kMinute) | kAllSecondsMask;

// One field of postgres-style input: a number (and the unit written after it, if any), a time
// h:m[:s] or SQL-standard years-months.
struct Field {
  enum class Kind { kNumber, kTime, kYearMonth };
  Kind kind = Kind::kNumber;
  double value = 0;
  bool fraction = false;
  Unit unit = Unit::kNone;
  Int128 usecs = 0;
  double years = 0, months = 0;
};

// ISO 8601 "format with designators": P[nY][nM][nW][nD][T[nH][nM][nS]].
bool ParseIso(std::string_view s, Accumulator& acc) {
  size_t i = 1;
  bool in_time = false;
  bool any = false;
  while (i < s.size()) {
    if (s[i] == 't') {
      if (in_time) return false;
      in_time = true;
      ++i;
      continue;
    }
    double v = 0;
    if (!ReadNumber(s, i, &v) || i >= s.size()) return false;
    const char d = s[i++];
    any = true;
    if (!in_time) {
      if (d == 'y') {
        acc.AddMonths(v, 12);
      } else if (d == 'm') {
        acc.AddMonths(v, 1);
      } else if (d == 'w') {
        acc.AddDays(v, 7);
      } else if (d == 'd') {
        acc.AddDays(v, 1);
      } else {
        return false;
      }
    } else if (d == 'h') {
      acc.AddTime(v, kUsecPerHour);
    } else if (d == 'm') {
      acc.AddTime(v, kUsecPerMinute);
    } else if (d == 's') {
      acc.AddTime(v, kUsecPerSec);
    } else {
      return false;
    }
  }
  return any;
}

}  // namespace

Result<Interval> Parse(std::string_view text) { return ParseInRange(text, kFullRange); }

Result<Interval> ParseInRange(std::string_view text, int32_t range) {
  std::string s;
  for (char c : text) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  const std::string_view body(s.data() + b, e - b);
  Accumulator acc;
  bool ago = false;
  if (!body.empty() && body[0] == 'p') {
    if (!ParseIso(body, acc)) return BadSyntax(text);
  } else {
    std::vector<Field> fields;
    size_t i = 0;
    while (i < body.size()) {
      const char c = body[i];
      if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '@') {
        ++i;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c))) {
        // PostgreSQL 15 takes "ago" anywhere, as often as written, for the whole value ('1 day
        // 2 hours ago 3' is -1 days -02:00:03); a number without a unit right before it is bad
        // syntax (read below as the number's unit).
        size_t start = i;
        while (i < body.size() && std::isalpha(static_cast<unsigned char>(body[i]))) ++i;
        if (LookupUnit(body.substr(start, i - start)) != Unit::kAgo) return BadSyntax(text);
        ago = true;
        continue;
      }
      // A time field (possibly signed) or a number and its unit.
      size_t start = i;
      if (c == '+' || c == '-') ++i;
      while (i < body.size() && (std::isdigit(static_cast<unsigned char>(body[i])) ||
                                 body[i] == '.' || body[i] == ':')) {
        ++i;
      }
      const std::string_view field = body.substr(start, i - start);
      const size_t digits_at = (c == '+' || c == '-') ? 1 : 0;
      if (i + 1 < body.size() && body[i] == '-' &&
          std::isdigit(static_cast<unsigned char>(body[i + 1])) && field.size() > digits_at &&
          field.find_first_not_of("0123456789", digits_at) == std::string_view::npos) {
        // SQL-standard years-months ("1-2", "-1-2": the leading sign covers both parts), as
        // DecodeInterval reads a number followed by '-' and digits.
        size_t j = i + 1;
        while (j < body.size() && std::isdigit(static_cast<unsigned char>(body[j]))) ++j;
        if (j < body.size() && !std::isspace(static_cast<unsigned char>(body[j]))) {
          return BadSyntax(text);
        }
        double years = 0, months = 0;
        size_t at = digits_at;
        const std::string_view month_digits = body.substr(i + 1, j - i - 1);
        size_t month_at = 0;
        if (!ReadNumber(field, at, &years) || !ReadNumber(month_digits, month_at, &months)) {
          return BadSyntax(text);
        }
        if (months >= 12) return FieldOverflow(text);
        const double sign = c == '-' ? -1 : 1;
        Field f;
        f.kind = Field::Kind::kYearMonth;
        f.years = sign * years;
        f.months = sign * months;
        fields.push_back(f);
        i = j;
        continue;
      }
      if (i < body.size() && body[i] == '-' && field.find(':') == std::string_view::npos) {
        return BadSyntax(text);  // "1.5-2": only whole years take a '-' and months
      }
      if (field.find(':') != std::string_view::npos) {
        Field f;
        f.kind = Field::Kind::kTime;
        switch (ParseTimeField(field, range, &f.usecs)) {
          case TimeField::kOk:
            break;
          case TimeField::kBadFormat:
            return BadSyntax(text);
          case TimeField::kOutOfRange:
            return FieldOverflow(text);
        }
        fields.push_back(f);
        continue;
      }
      Field f;
      size_t at = 0;
      if (!ReadNumber(field, at, &f.value) || at != field.size()) return BadSyntax(text);
      // DecodeInterval lets "1.5 seconds" fill the milli- and microseconds only when the
      // fraction is non-zero: '1.0 second 2 ms' is 1.002 s.
      if (const size_t dot = field.find('.'); dot != std::string_view::npos) {
        f.fraction = field.find_first_of("123456789", dot + 1) != std::string_view::npos;
      }
      while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
      size_t word_start = i;
      while (i < body.size() && std::isalpha(static_cast<unsigned char>(body[i]))) ++i;
      if (i > word_start) {
        f.unit = LookupUnit(body.substr(word_start, i - word_start));
        if (f.unit == Unit::kNone || f.unit == Unit::kAgo) return BadSyntax(text);  // "5 ago"
      }
      fields.push_back(f);
    }
    if (fields.empty()) return BadSyntax(text);
    // DecodeInterval reads the fields right to left: a number without a unit takes the field of
    // its right neighbour's (days left of a time or of hours), or else the range's last.
    Unit next = Unit::kNone;
    uint32_t seen = 0;
    for (auto f = fields.rbegin(); f != fields.rend(); ++f) {
      uint32_t mask = 0;
      switch (f->kind) {
        case Field::Kind::kTime:
          acc.usecs += f->usecs;
          mask = kTimeMask;
          next = Unit::kDay;
          break;
        case Field::Kind::kYearMonth:
          AddUnit(acc, f->years, Unit::kYear);
          AddUnit(acc, f->months, Unit::kMonth);
          mask = UnitMask(Unit::kMonth);
          next = Unit::kMonth;
          break;
        case Field::Kind::kNumber: {
          const Unit unit = f->unit != Unit::kNone ? f->unit
                            : next != Unit::kNone  ? next
                                                   : RangeUnit(range);
          AddUnit(acc, f->value, unit);
          mask = unit == Unit::kSecond && f->fraction ? kAllSecondsMask : UnitMask(unit);
          next = unit == Unit::kHour ? Unit::kDay : unit;
          break;
        }
      }
      if ((seen & mask) != 0) return BadSyntax(text);
      seen |= mask;
    }
  }
  if (ago) {
    acc.months = -acc.months;
    acc.days = -acc.days;
    acc.usecs = -acc.usecs;
  }
  constexpr Int128 kMin32 = std::numeric_limits<int32_t>::min();
  constexpr Int128 kMax32 = std::numeric_limits<int32_t>::max();
  constexpr Int128 kMin64 = std::numeric_limits<int64_t>::min();
  constexpr Int128 kMax64 = std::numeric_limits<int64_t>::max();
  if (acc.overflow || acc.months < kMin32 || acc.months > kMax32 || acc.days < kMin32 ||
      acc.days > kMax32 || acc.usecs < kMin64 || acc.usecs > kMax64) {
    return FieldOverflow(text);
  }
  return Interval{static_cast<int64_t>(acc.usecs), static_cast<int32_t>(acc.days),
                  static_cast<int32_t>(acc.months)};
}

std::string TypmodText(int32_t typmod) {
  if (typmod < 0) return "";
  const char* fields = nullptr;
  switch (TypmodRange(typmod)) {
    case kYearField:
      fields = " year";
      break;
    case kMonthField:
      fields = " month";
      break;
    case kDayField:
      fields = " day";
      break;
    case kHourField:
      fields = " hour";
      break;
    case kMinuteField:
      fields = " minute";
      break;
    case kSecondField:
      fields = " second";
      break;
    case kYearField | kMonthField:
      fields = " year to month";
      break;
    case kDayField | kHourField:
      fields = " day to hour";
      break;
    case kDayField | kHourField | kMinuteField:
      fields = " day to minute";
      break;
    case kDayField | kHourField | kMinuteField | kSecondField:
      fields = " day to second";
      break;
    case kHourField | kMinuteField:
      fields = " hour to minute";
      break;
    case kHourField | kMinuteField | kSecondField:
      fields = " hour to second";
      break;
    case kMinuteField | kSecondField:
      fields = " minute to second";
      break;
    case kFullRange:
      fields = "";
      break;
    default:
      return "";
  }
  const int32_t precision = TypmodPrecision(typmod);
  if (precision == kFullPrecision) return fields;
  return std::string(fields) + "(" + std::to_string(precision) + ")";
}

Interval ApplyTypmod(Interval v, int32_t typmod) {
  if (typmod < 0) return v;
  switch (TypmodRange(typmod)) {
    case kYearField:
      v.month = (v.month / 12) * 12;
      v.day = 0;
      v.time = 0;
      break;
    case kMonthField:
    case kYearField | kMonthField:
      v.day = 0;
      v.time = 0;
      break;
    case kDayField:
      v.time = 0;
      break;
    case kHourField:
    case kDayField | kHourField:
      v.time = (v.time / kUsecPerHour) * kUsecPerHour;
      break;
    case kMinuteField:
    case kDayField | kHourField | kMinuteField:
    case kHourField | kMinuteField:
      v.time = (v.time / kUsecPerMinute) * kUsecPerMinute;
      break;
    default:  // the full range, or one ending in SECOND: only the precision applies
      break;
  }
  const int32_t precision = TypmodPrecision(typmod);
  if (precision < kMaxPrecision) {
    static constexpr int64_t kScales[] = {1000000, 100000, 10000, 1000, 100, 10};
    const int64_t scale = kScales[precision], offset = scale / 2;
    // In unsigned arithmetic, as INT64_MIN has no positive counterpart; the result of
    // PostgreSQL's rounding past the int64 range is the same wrapped value.
    const uint64_t mag =
        v.time < 0 ? 0 - static_cast<uint64_t>(v.time) : static_cast<uint64_t>(v.time);
    const uint64_t rounded = (mag + static_cast<uint64_t>(offset)) / static_cast<uint64_t>(scale) *
                             static_cast<uint64_t>(scale);
    v.time = v.time < 0 ? static_cast<int64_t>(0 - rounded) : static_cast<int64_t>(rounded);
  }
  return v;
}

void AppendText(std::string& out, const Interval& v) {
  const int64_t year = v.month / 12;
  const int64_t mon = v.month % 12;
  bool is_before = false;
  bool is_zero = true;
  auto add_part = [&](int64_t value, const char* unit) {
    if (value == 0) return;
    if (!is_zero) out.push_back(' ');
    if (is_before && value > 0) out.push_back('+');
    out += std::to_string(value);
    out.push_back(' ');
    out += unit;
    if (value != 1) out.push_back('s');
    is_before = value < 0;
    is_zero = false;
  };
  add_part(year, "year");
  add_part(mon, "mon");
  add_part(v.day, "day");
  const int64_t t = v.time;
  if (is_zero || t != 0) {
    // abs of INT64_MIN: the magnitude in unsigned arithmetic.
    const uint64_t mag = t < 0 ? 0 - static_cast<uint64_t>(t) : static_cast<uint64_t>(t);
    const uint64_t hours = mag / kUsecPerHour;
    const uint64_t minutes = mag / kUsecPerMinute % 60;
    const uint64_t seconds = mag / kUsecPerSec % 60;
    const uint64_t fsec = mag % kUsecPerSec;
    if (!is_zero) out.push_back(' ');
    if (t < 0) {
      out.push_back('-');
    } else if (is_before) {
      out.push_back('+');
    }
    char buf[64];
    int n = std::snprintf(
        buf, sizeof(buf), "%02llu:%02llu:%02llu", static_cast<unsigned long long>(hours),
        static_cast<unsigned long long>(minutes), static_cast<unsigned long long>(seconds));
    out.append(buf, static_cast<size_t>(n));
    if (fsec != 0) {
      n = std::snprintf(buf, sizeof(buf), ".%06llu", static_cast<unsigned long long>(fsec));
      std::string_view f(buf, static_cast<size_t>(n));
      while (f.back() == '0') f.remove_suffix(1);
      out.append(f);
    }
  }
}

namespace {
Int128 Span(const Interval& v) {
  return static_cast<Int128>(v.time) +
         (static_cast<Int128>(v.day) + static_cast<Int128>(v.month) * kDaysPerMonth) * kUsecPerDay;
}
}  // namespace

int Compare(const Interval& a, const Interval& b) {
  const Int128 x = Span(a), y = Span(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

void AppendKey(std::string& out, const Interval& v) {
  const auto bits = static_cast<UInt128>(Span(v)) ^ (static_cast<UInt128>(1) << 127);
  for (int shift = 120; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(bits >> shift)));
  }
}

Result<Interval> Add(const Interval& a, const Interval& b) {
  Interval r;
  if (__builtin_add_overflow(a.month, b.month, &r.month) ||
      __builtin_add_overflow(a.day, b.day, &r.day) ||
      __builtin_add_overflow(a.time, b.time, &r.time)) {
    return OutOfRange();
  }
  return r;
}

Result<Interval> Sub(const Interval& a, const Interval& b) {
  Interval r;
  if (__builtin_sub_overflow(a.month, b.month, &r.month) ||
      __builtin_sub_overflow(a.day, b.day, &r.day) ||
      __builtin_sub_overflow(a.time, b.time, &r.time)) {
    return OutOfRange();
  }
  return r;
}

Result<Interval> Negate(const Interval& a) { return Sub(Interval{}, a); }

namespace {

// interval_mul's spilling of the fractional months and days, for a product or quotient whose
// month, day and time parts are given as doubles.
Result<Interval> Spill(double months, double days, double time) {
  if (std::isnan(months) || !FitsInt32(months) || std::isnan(days) || !FitsInt32(days)) {
    return OutOfRange();
  }
  Interval r;
  r.month = static_cast<int32_t>(months);
  r.day = static_cast<int32_t>(days);
  const double month_remainder_days = TsRound((months - r.month) * kDaysPerMonth);
  double sec_remainder =
      TsRound((days - r.day + month_remainder_days - std::trunc(month_remainder_days)) * 86400.0);
  if (std::fabs(sec_remainder) >= 86400.0) {
    const auto whole = static_cast<int32_t>(sec_remainder / 86400.0);
    if (__builtin_add_overflow(r.day, whole, &r.day)) return OutOfRange();
    sec_remainder -= whole * 86400.0;
  }
  if (__builtin_add_overflow(r.day, static_cast<int32_t>(month_remainder_days), &r.day)) {
    return OutOfRange();
  }
  const double t = std::rint(time + sec_remainder * 1e6);
  if (std::isnan(t) || !FitsInt64(t)) return OutOfRange();
  r.time = static_cast<int64_t>(t);
  return r;
}

}  // namespace

Result<Interval> Mul(const Interval& a, double factor) {
  return Spill(a.month * factor, a.day * factor, static_cast<double>(a.time) * factor);
}

Result<Interval> Div(const Interval& a, double divisor) {
  if (divisor == 0) return Fail(sqlstate::kDivisionByZero, "division by zero");
  return Spill(a.month / divisor, a.day / divisor, static_cast<double>(a.time) / divisor);
}

Result<Interval> JustifyHours(const Interval& a) {
  Interval r = a;
  const int64_t whole = r.time / kUsecPerDay;
  r.time -= whole * kUsecPerDay;
  if (whole > std::numeric_limits<int32_t>::max() || whole < std::numeric_limits<int32_t>::min() ||
      __builtin_add_overflow(r.day, static_cast<int32_t>(whole), &r.day)) {
    return OutOfRange();
  }
  if (r.day > 0 && r.time < 0) {
    r.time += kUsecPerDay;
    r.day--;
  } else if (r.day < 0 && r.time > 0) {
    r.time -= kUsecPerDay;
    r.day++;
  }
  return r;
}

Result<Interval> JustifyDays(const Interval& a) {
  Interval r = a;
  const int32_t whole = r.day / kDaysPerMonth;
  r.day -= whole * kDaysPerMonth;
  if (__builtin_add_overflow(r.month, whole, &r.month)) return OutOfRange();
  if (r.month > 0 && r.day < 0) {
    r.day += kDaysPerMonth;
    r.month--;
  } else if (r.month < 0 && r.day > 0) {
    r.day -= kDaysPerMonth;
    r.month++;
  }
  return r;
}

Result<Interval> JustifyInterval(const Interval& a) {
  Interval r = a;
  const int64_t whole_day = r.time / kUsecPerDay;
  r.time -= whole_day * kUsecPerDay;
  if (whole_day > std::numeric_limits<int32_t>::max() ||
      whole_day < std::numeric_limits<int32_t>::min() ||
      __builtin_add_overflow(r.day, static_cast<int32_t>(whole_day), &r.day)) {
    return OutOfRange();
  }
  const int32_t whole_month = r.day / kDaysPerMonth;
  r.day -= whole_month * kDaysPerMonth;
  if (__builtin_add_overflow(r.month, whole_month, &r.month)) return OutOfRange();
  if (r.month > 0 && (r.day < 0 || (r.day == 0 && r.time < 0))) {
    r.day += kDaysPerMonth;
    r.month--;
  } else if (r.month < 0 && (r.day > 0 || (r.day == 0 && r.time > 0))) {
    r.day -= kDaysPerMonth;
    r.month++;
  }
  if (r.day > 0 && r.time < 0) {
    r.time += kUsecPerDay;
    r.day--;
  } else if (r.day < 0 && r.time > 0) {
    r.time -= kUsecPerDay;
    r.day++;
  }
  return r;
}

}  // namespace sqlrite::engine::interval
