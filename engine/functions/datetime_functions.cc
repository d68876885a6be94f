// The date/time functions of the registry (engine/functions/builtin.h): the clock (now() and
// its SQL-standard spellings, at the transaction's, the statement's or the real time),
// extract/date_part (PostgreSQL 15: extract is numeric, date_part float8), date_trunc, age,
// make_date/time/timestamp/interval, to_timestamp, justify_*, isfinite and timezone() (AT TIME
// ZONE). timestamptz arguments are read in the session's TimeZone (engine/datetime_context.h).

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <type_traits>

#include "common/sqlstate.h"
#include "engine/datetime_context.h"
#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"
#include "engine/types/datetime.h"

namespace sqlrite::engine::functions {
namespace {

using datetime::Fields;
using type_shorthands::kDate;
using type_shorthands::kF8;
using type_shorthands::kInt4;
using type_shorthands::kIv;
using type_shorthands::kText;
using type_shorthands::kTime;
using type_shorthands::kTs;
using type_shorthands::kTsTz;
constexpr int64_t kUsecPerSec = datetime::kUsecPerSec;
constexpr int64_t kUsecPerDay = datetime::kUsecPerDay;
constexpr int64_t kPostgresEpochUnix = 946684800;

int64_t I(const CallArgs& a, size_t i) { return DatumAs<int64_t>(a.values[i]); }
const Interval& Iv(const CallArgs& a, size_t i) { return DatumAs<Interval>(a.values[i]); }
const std::string& S(const CallArgs& a, size_t i) { return DatumAs<std::string>(a.values[i]); }

// ---- the clock ----

Result<Datum> Now(const CallArgs&) { return Datum(CurrentDateTime().transaction_start); }
Result<Datum> StatementTimestamp(const CallArgs&) {
  return Datum(CurrentDateTime().statement_start);
}
Result<Datum> ClockNow(const CallArgs&) { return Datum(ClockTimestamp()); }
// pg_postmaster_start_time(): when the server started, read by this file's initialisation as the
// process starts (before any session exists).
const int64_t kServerStart = ClockTimestamp();
Result<Datum> PostmasterStartTime(const CallArgs&) { return Datum(kServerStart); }
Result<Datum> LocalTimestamp(const CallArgs&) {
  return Datum(datetime::UtcToLocal(CurrentDateTime().transaction_start, *CurrentDateTime().zone));
}
Result<Datum> CurrentDate(const CallArgs&) {
  const int64_t local =
      datetime::UtcToLocal(CurrentDateTime().transaction_start, *CurrentDateTime().zone);
  return Datum(static_cast<int64_t>(std::floor(static_cast<double>(local) / kUsecPerDay)));
}
Result<Datum> LocalTime(const CallArgs&) {
  return Datum(datetime::TimestampToTime(
      datetime::UtcToLocal(CurrentDateTime().transaction_start, *CurrentDateTime().zone)));
}

// ---- units ----

enum class Unit {
  kNone,
  kMicroseconds,
  kMilliseconds,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kDow,
  kIsoDow,
  kDoy,
  kEpoch,
  kJulian,
  kIsoYear,
  kTimezone,
  kTimezoneHour,
  kTimezoneMinute
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// PostgreSQL's DecodeUnits / DecodeSpecial spellings of a field name.
Unit LookupUnit(const std::string& w) {
  struct Entry {
    std::string_view name;
    Unit unit;
  };
  static constexpr Entry kUnits[] = {
      {"microsecond", Unit::kMicroseconds},
      {"microseconds", Unit::kMicroseconds},
      {"us", Unit::kMicroseconds},
      {"usec", Unit::kMicroseconds},
      {"usecs", Unit::kMicroseconds},
      {"useconds", Unit::kMicroseconds},
      {"millisecond", Unit::kMilliseconds},
      {"milliseconds", Unit::kMilliseconds},
      {"ms", Unit::kMilliseconds},
      {"msec", Unit::kMilliseconds},
      {"msecs", Unit::kMilliseconds},
      {"mseconds", Unit::kMilliseconds},
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
      {"quarter", Unit::kQuarter},
      {"qtr", Unit::kQuarter},
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
      {"dow", Unit::kDow},
      {"isodow", Unit::kIsoDow},
      {"doy", Unit::kDoy},
      {"epoch", Unit::kEpoch},
      {"julian", Unit::kJulian},
      {"j", Unit::kJulian},
      {"isoyear", Unit::kIsoYear},
      {"timezone", Unit::kTimezone},
      {"timezone_h", Unit::kTimezoneHour},
      {"timezone_hour", Unit::kTimezoneHour},
      {"timezone_m", Unit::kTimezoneMinute},
      {"timezone_minute", Unit::kTimezoneMinute},
  };
  // A query names the same field for every row: the last answer is kept (per thread, as the
  // engine runs statements on worker threads).
  thread_local std::string last_name;
  thread_local Unit last_unit = Unit::kNone;
  if (last_unit != Unit::kNone && w == last_name) return last_unit;
  for (const Entry& e : kUnits) {
    if (e.name == w) {
      last_name = w;
      last_unit = e.unit;
      return e.unit;
    }
  }
  return Unit::kNone;
}

tl::unexpected<Error> UnitNotRecognized(const std::string& unit, TypeId type) {
  return Fail(sqlstate::kInvalidParameterValue,
              "unit \"" + unit + "\" not recognized for type " + std::string(TypeName(type)));
}
tl::unexpected<Error> UnitNotSupported(const std::string& unit, TypeId type) {
  return Fail(sqlstate::kFeatureNotSupported,
              "unit \"" + unit + "\" not supported for type " + std::string(TypeName(type)));
}

// ---- extract / date_part ----

// A field's value as an exact decimal: value / 10^scale (the scale PostgreSQL 15's extract
// gives it: 6 for seconds and epochs, 3 for milliseconds, 0 otherwise).
struct Part {
  int64_t value = 0;
  int scale = 0;
  int infinite = 0;  // +1 / -1: the field of an infinite value (NULL when 0 and not set)
  bool null = false;
};

int J2Day(int64_t jd) { return static_cast<int>(((jd + 1) % 7 + 7) % 7); }

// ISO 8601 week number and week-numbering year (PostgreSQL's date2isoweek / date2isoyear).
void IsoWeek(int year, int month, int day, int* week, int* iso_year) {
  const int64_t dayn = datetime::DateToJulian(year, month, day);
  int y = year;
  int64_t day4 = datetime::DateToJulian(y, 1, 4);
  int64_t day0 = J2Day(day4 - 1);
  if (dayn < day4 - day0) {
    --y;
    day4 = datetime::DateToJulian(y, 1, 4);
    day0 = J2Day(day4 - 1);
  }
  int64_t result = (dayn - (day4 - day0)) / 7 + 1;
  if (result >= 52) {
    const int64_t next4 = datetime::DateToJulian(y + 1, 1, 4);
    const int64_t next0 = J2Day(next4 - 1);
    if (dayn >= next4 - next0) {
      ++y;
      result = (dayn - (next4 - next0)) / 7 + 1;
    }
  }
  *week = static_cast<int>(result);
  *iso_year = y;
}

// The year as extract shows it: BC years negative (no year 0).
int ShownYear(int y) { return y > 0 ? y : y - 1; }

Result<Part> CalendarPart(Unit unit, const Fields& f, const std::string& name, TypeId type,
                          bool date_only) {
  Part p;
  const int y = f.year;
  switch (unit) {
    case Unit::kMicroseconds:
    case Unit::kMilliseconds:
    case Unit::kSecond:
    case Unit::kMinute:
    case Unit::kHour:
      if (date_only) return UnitNotSupported(name, type);
      if (unit == Unit::kMicroseconds) {
        p.value = f.second * kUsecPerSec + f.usec;
      } else if (unit == Unit::kMilliseconds) {
        p.value = f.second * kUsecPerSec + f.usec;
        p.scale = 3;
      } else if (unit == Unit::kSecond) {
        p.value = f.second * kUsecPerSec + f.usec;
        p.scale = 6;
      } else {
        p.value = unit == Unit::kMinute ? f.minute : f.hour;
      }
      return p;
    case Unit::kDay:
      p.value = f.day;
      return p;
    case Unit::kMonth:
      p.value = f.month;
      return p;
    case Unit::kQuarter:
      p.value = (f.month - 1) / 3 + 1;
      return p;
    case Unit::kWeek:
    case Unit::kIsoYear: {
      int week = 0, iso_year = 0;
      IsoWeek(y, f.month, f.day, &week, &iso_year);
      p.value = unit == Unit::kWeek ? week : ShownYear(iso_year);
      return p;
    }
    case Unit::kYear:
      p.value = ShownYear(y);
      return p;
    case Unit::kDecade:
      p.value = y >= 0 ? y / 10 : -((8 - (y - 1)) / 10);
      return p;
    case Unit::kCentury:
      p.value = y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100);
      return p;
    case Unit::kMillennium:
      p.value = y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000);
      return p;
    case Unit::kDow:
    case Unit::kIsoDow: {
      const int dow = J2Day(datetime::DateToJulian(y, f.month, f.day));
      p.value = unit == Unit::kIsoDow && dow == 0 ? 7 : dow;
      return p;
    }
    case Unit::kDoy:
      p.value = datetime::DateToJulian(y, f.month, f.day) - datetime::DateToJulian(y, 1, 1) + 1;
      return p;
    default:
      return UnitNotSupported(name, type);
  }
}

// Whether a field grows with the value (an infinity's field is then +/-Infinity, else NULL).
bool Monotonic(Unit u) {
  return u == Unit::kYear || u == Unit::kDecade || u == Unit::kCentury || u == Unit::kMillennium ||
         u == Unit::kJulian || u == Unit::kIsoYear || u == Unit::kEpoch;
}

Result<Part> ExtractPart(const std::string& unit_text, TypeId type, const Datum& v) {
  const std::string name = Lower(unit_text);
  const Unit unit = LookupUnit(name);
  if (unit == Unit::kNone) return UnitNotRecognized(name, type);
  Part p;
  if (type == kIv) {
    const Interval& span = DatumAs<Interval>(v);
    const int64_t year = span.month / 12;
    const int64_t mon = span.month % 12;
    const int64_t t = span.time;
    switch (unit) {
      case Unit::kMicroseconds:
        p.value = t % (60 * kUsecPerSec);
        return p;
      case Unit::kMilliseconds:
        p.value = t % (60 * kUsecPerSec);
        p.scale = 3;
        return p;
      case Unit::kSecond:
        p.value = t % (60 * kUsecPerSec);
        p.scale = 6;
        return p;
      case Unit::kMinute:
        p.value = t / (60 * kUsecPerSec) % 60;
        return p;
      case Unit::kHour:
        p.value = t / (3600 * kUsecPerSec);
        return p;
      case Unit::kDay:
        p.value = span.day;
        return p;
      case Unit::kMonth:
        p.value = mon;
        return p;
      case Unit::kQuarter:
        p.value = mon / 3 + 1;
        return p;
      case Unit::kYear:
        p.value = year;
        return p;
      case Unit::kDecade:
        p.value = year / 10;
        return p;
      case Unit::kCentury:
        p.value = year / 100;
        return p;
      case Unit::kMillennium:
        p.value = year / 1000;
        return p;
      case Unit::kEpoch: {
        // A year is 365.25 days: in quarter days, as PostgreSQL counts to stay in integers.
        const int64_t quarter_days = 1461 * year + 120 * mon + int64_t{4} * span.day;
        p.value = quarter_days * (86400 / 4) * kUsecPerSec + t;
        p.scale = 6;
        return p;
      }
      default:
        return UnitNotSupported(name, type);
    }
  }
  if (type == kTime) {
    const int64_t t = DatumAs<int64_t>(v);
    switch (unit) {
      case Unit::kMicroseconds:
        p.value = t % (60 * kUsecPerSec);
        return p;
      case Unit::kMilliseconds:
        p.value = t % (60 * kUsecPerSec);
        p.scale = 3;
        return p;
      case Unit::kSecond:
        p.value = t % (60 * kUsecPerSec);
        p.scale = 6;
        return p;
      case Unit::kMinute:
        p.value = t / (60 * kUsecPerSec) % 60;
        return p;
      case Unit::kHour:
        p.value = t / (3600 * kUsecPerSec);
        return p;
      case Unit::kEpoch:
        p.value = t;
        p.scale = 6;
        return p;
      default:
        return UnitNotSupported(name, type);
    }
  }
  const int64_t raw = DatumAs<int64_t>(v);
  if (type == kDate) {
    if (!datetime::IsFiniteDate(raw)) {
      if (!Monotonic(unit)) {
        if (unit == Unit::kNone) return UnitNotRecognized(name, type);
        p.null = true;
        return p;
      }
      p.infinite = raw > 0 ? 1 : -1;
      return p;
    }
    if (unit == Unit::kEpoch) {
      p.value = (raw * 86400) + kPostgresEpochUnix;
      return p;
    }
    if (unit == Unit::kJulian) {
      p.value = raw + datetime::kPostgresEpochJdate;
      return p;
    }
    const Fields f = datetime::SplitTimestamp(raw * kUsecPerDay);
    return CalendarPart(unit, f, name, type, true);
  }
  // timestamp, timestamptz
  if (!datetime::IsFiniteTimestamp(raw)) {
    if (Monotonic(unit)) {
      p.infinite = raw > 0 ? 1 : -1;
    } else {
      p.null = true;
    }
    return p;
  }
  if (unit == Unit::kEpoch) {
    p.value = raw + kPostgresEpochUnix * kUsecPerSec;
    p.scale = 6;
    return p;
  }
  int32_t offset = 0;
  const int64_t local =
      type == kTsTz ? datetime::UtcToLocal(raw, *CurrentDateTime().zone, &offset) : raw;
  if (unit == Unit::kTimezone || unit == Unit::kTimezoneHour || unit == Unit::kTimezoneMinute) {
    if (type != kTsTz) return UnitNotSupported(name, type);
    p.value = unit == Unit::kTimezone       ? offset
              : unit == Unit::kTimezoneHour ? offset / 3600
                                            : offset / 60 % 60;
    return p;
  }
  const Fields f = datetime::SplitTimestamp(local);
  if (unit == Unit::kJulian) {
    // The day number plus the fraction of the day: microseconds / a day's, with 6 decimals
    // kept exact where they end (PostgreSQL prints its quotient's own digits).
    const int64_t day_usec =
        local -
        static_cast<int64_t>(std::floor(static_cast<double>(local) / kUsecPerDay)) * kUsecPerDay;
    p.value = (datetime::DateToJulian(f.year, f.month, f.day)) * kUsecPerDay + day_usec;
    p.scale = -1;  // marker: divide by a day's microseconds
    return p;
  }
  return CalendarPart(unit, f, name, type, false);
}

std::string ScaledText(int64_t value, int scale) {
  const bool neg = value < 0;
  const uint64_t mag = neg ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits = std::to_string(mag);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return neg ? "-" + digits : digits;
}

Result<Datum> PartAsNumeric(const Part& p) {
  if (p.null) return Datum{};
  if (p.infinite != 0) {
    SQLRITE_ASSIGN_OR_RETURN(Numeric n, Numeric::Parse(p.infinite > 0 ? "Infinity" : "-Infinity"));
    return NumericDatum(std::move(n));
  }
  if (p.scale < 0) {
    SQLRITE_ASSIGN_OR_RETURN(Numeric num, Numeric::Parse(std::to_string(p.value)));
    SQLRITE_ASSIGN_OR_RETURN(Numeric r, Numeric::Div(num, Numeric::FromInt64(kUsecPerDay)));
    return NumericDatum(std::move(r));
  }
  if (p.scale == 0) return NumericDatum(Numeric::FromInt64(p.value));  // no text round trip
  // Milliseconds: microseconds shown with 3 decimals.
  SQLRITE_ASSIGN_OR_RETURN(Numeric n,
                           Numeric::Parse(ScaledText(p.value, p.scale == 3 ? 6 : p.scale)));
  if (p.scale == 3) {
    SQLRITE_ASSIGN_OR_RETURN(Numeric ms, Numeric::Mul(n, Numeric::FromInt64(1000)));
    SQLRITE_ASSIGN_OR_RETURN(Numeric r, ms.Round(3));
    return NumericDatum(std::move(r));
  }
  return NumericDatum(std::move(n));
}

Result<Datum> PartAsDouble(const Part& p) {
  if (p.null) return Datum{};
  if (p.infinite != 0) return Datum(p.infinite * std::numeric_limits<double>::infinity());
  if (p.scale < 0) return Datum(static_cast<double>(p.value) / static_cast<double>(kUsecPerDay));
  if (p.scale == 3) return Datum(static_cast<double>(p.value) / 1000.0);
  if (p.scale == 6) return Datum(static_cast<double>(p.value) / 1e6);
  return Datum(static_cast<double>(p.value));
}

template <TypeId type>
Result<Datum> Extract(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Part p, ExtractPart(S(a, 0), type, a.values[1]));
  return PartAsNumeric(p);
}

template <TypeId type>
Result<Datum> DatePart(const CallArgs& a) {
  // date_part(text, date) is date_part(text, date::timestamp) in PostgreSQL.
  if (type == kDate) {
    const int64_t d = I(a, 1);
    SQLRITE_ASSIGN_OR_RETURN(int64_t ts, datetime::DateToTimestamp(d));
    SQLRITE_ASSIGN_OR_RETURN(Part p, ExtractPart(S(a, 0), kTs, Datum(ts)));
    return PartAsDouble(p);
  }
  SQLRITE_ASSIGN_OR_RETURN(Part p, ExtractPart(S(a, 0), type, a.values[1]));
  return PartAsDouble(p);
}

// ---- date_trunc ----

Result<Fields> TruncFields(Fields f, Unit unit, const std::string& name, TypeId type) {
  switch (unit) {
    case Unit::kMillennium:
      f.year = f.year > 0 ? ((f.year + 999) / 1000) * 1000 - 999
                          : -((999 - (f.year - 1)) / 1000) * 1000 + 1;
      f.month = 1;
      f.day = 1;
      break;
    case Unit::kCentury:
      f.year =
          f.year > 0 ? ((f.year + 99) / 100) * 100 - 99 : -((99 - (f.year - 1)) / 100) * 100 + 1;
      f.month = 1;
      f.day = 1;
      break;
    case Unit::kDecade:
      f.year = f.year > 0 ? (f.year / 10) * 10 : -((8 - (f.year - 1)) / 10) * 10;
      f.month = 1;
      f.day = 1;
      break;
    case Unit::kYear:
      f.month = 1;
      f.day = 1;
      break;
    case Unit::kQuarter:
      f.month = 3 * ((f.month - 1) / 3) + 1;
      f.day = 1;
      break;
    case Unit::kMonth:
      f.day = 1;
      break;
    case Unit::kWeek: {
      const int64_t jd = datetime::DateToJulian(f.year, f.month, f.day);
      const int dow = J2Day(jd);  // 0 Sunday
      const int64_t monday = jd - (dow == 0 ? 6 : dow - 1);
      datetime::JulianToDate(static_cast<int>(monday), &f.year, &f.month, &f.day);
      break;
    }
    case Unit::kDay:
      break;
    case Unit::kHour:
      f.minute = 0;
      [[fallthrough]];
    case Unit::kMinute:
      f.second = 0;
      [[fallthrough]];
    case Unit::kSecond:
      f.usec = 0;
      return f;
    case Unit::kMilliseconds:
      f.usec = f.usec / 1000 * 1000;
      return f;
    case Unit::kMicroseconds:
      return f;
    default:
      return UnitNotRecognized(name, type);
  }
  f.hour = f.minute = f.second = 0;
  f.usec = 0;
  return f;
}

Result<Datum> TruncTimestamp(const CallArgs& a) {
  const std::string name = Lower(S(a, 0));
  const int64_t ts = I(a, 1);
  const Unit unit = LookupUnit(name);
  if (!datetime::IsFiniteTimestamp(ts)) {
    if (unit == Unit::kNone) return UnitNotRecognized(name, kTs);
    return Datum(ts);
  }
  SQLRITE_ASSIGN_OR_RETURN(Fields f, TruncFields(datetime::SplitTimestamp(ts), unit, name, kTs));
  SQLRITE_ASSIGN_OR_RETURN(int64_t r, datetime::JoinTimestamp(f));
  return Datum(r);
}

Result<Datum> TruncTimestampTz(const CallArgs& a) {
  const std::string name = Lower(S(a, 0));
  const int64_t ts = I(a, 1);
  const Unit unit = LookupUnit(name);
  if (!datetime::IsFiniteTimestamp(ts)) {
    if (unit == Unit::kNone) return UnitNotRecognized(name, kTsTz);
    return Datum(ts);
  }
  const tz::TimeZone& zone = *CurrentDateTime().zone;
  const int64_t local = datetime::UtcToLocal(ts, zone);
  SQLRITE_ASSIGN_OR_RETURN(Fields f,
                           TruncFields(datetime::SplitTimestamp(local), unit, name, kTsTz));
  SQLRITE_ASSIGN_OR_RETURN(int64_t truncated, datetime::JoinTimestamp(f));
  // Below a day the offset stays the one in effect; from a day up it is found again for the
  // truncated wall-clock time (PostgreSQL's redotz).
  const bool redo = unit != Unit::kHour && unit != Unit::kMinute && unit != Unit::kSecond &&
                    unit != Unit::kMilliseconds && unit != Unit::kMicroseconds;
  return Datum(redo ? datetime::LocalToUtc(truncated, zone) : ts - (local - truncated));
}

Result<Datum> TruncInterval(const CallArgs& a) {
  const std::string name = Lower(S(a, 0));
  const Unit unit = LookupUnit(name);
  Interval v = Iv(a, 1);
  const int64_t usec_per_hour = 3600 * kUsecPerSec;
  switch (unit) {
    case Unit::kMillennium:
      v.month = v.month / 12000 * 12000;
      v.day = 0;
      v.time = 0;
      break;
    case Unit::kCentury:
      v.month = v.month / 1200 * 1200;
      v.day = 0;
      v.time = 0;
      break;
    case Unit::kDecade:
      v.month = v.month / 120 * 120;
      v.day = 0;
      v.time = 0;
      break;
    case Unit::kYear:
      v.month = v.month / 12 * 12;
      v.day = 0;
      v.time = 0;
      break;
    case Unit::kQuarter:
      v.month = v.month / 12 * 12 + (v.month % 12) / 3 * 3;
      v.day = 0;
      v.time = 0;
      break;
    case Unit::kMonth:
      v.day = 0;
      v.time = 0;
      break;
    case Unit::kDay:
      v.time = 0;
      break;
    case Unit::kHour:
      v.time = v.time / usec_per_hour * usec_per_hour;
      break;
    case Unit::kMinute:
      v.time = v.time / (60 * kUsecPerSec) * (60 * kUsecPerSec);
      break;
    case Unit::kSecond:
      v.time = v.time / kUsecPerSec * kUsecPerSec;
      break;
    case Unit::kMilliseconds:
      v.time = v.time / 1000 * 1000;
      break;
    case Unit::kMicroseconds:
      break;
    case Unit::kWeek:
      return Fail(
          Error(sqlstate::kFeatureNotSupported, "unit \"week\" not supported for type interval")
              .WithDetail("Months usually have fractional weeks."));
    default:
      return UnitNotRecognized(name, kIv);
  }
  return Datum(v);
}

// ---- age, make_*, to_timestamp, justify, isfinite, timezone ----

Result<Datum> AgeTs(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Interval v, datetime::Age(I(a, 0), I(a, 1), false));
  return Datum(v);
}
Result<Datum> AgeTsTz(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Interval v, datetime::Age(I(a, 0), I(a, 1), true));
  return Datum(v);
}
// age(ts): from today's midnight (current_date).
Result<Datum> AgeFromToday(const CallArgs& a) {
  const int64_t local =
      datetime::UtcToLocal(CurrentDateTime().transaction_start, *CurrentDateTime().zone);
  const int64_t midnight =
      static_cast<int64_t>(std::floor(static_cast<double>(local) / kUsecPerDay)) * kUsecPerDay;
  SQLRITE_ASSIGN_OR_RETURN(Interval v, datetime::Age(midnight, I(a, 0), false));
  return Datum(v);
}

Result<Datum> MakeDate(const CallArgs& a) {
  const int64_t y = I(a, 0), m = I(a, 1), d = I(a, 2);
  auto bad = [&] {
    return Fail(sqlstate::kDatetimeFieldOverflow,
                "date field value out of range: " + std::to_string(y) + "-" +
                    (m < 10 && m >= 0 ? "0" : "") + std::to_string(m) + "-" +
                    (d < 10 && d >= 0 ? "0" : "") + std::to_string(d));
  };
  if (y == 0 || y < -4713 || y > 5874897 || m < 1 || m > 12 || d < 1) return bad();
  const int year = static_cast<int>(y < 0 ? y + 1 : y);  // BC: -1 is 1 BC
  if (d > datetime::DaysInMonth(year, static_cast<int>(m))) return bad();
  const int64_t days =
      int64_t{datetime::DateToJulian(year, static_cast<int>(m), static_cast<int>(d))} -
      datetime::kPostgresEpochJdate;
  if (!datetime::DateInRange(days)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "date out of range: " + std::to_string(y) + "-" +
                                                      std::to_string(m) + "-" + std::to_string(d));
  }
  return Datum(days);
}

Result<int64_t> TimeOfDay(int64_t h, int64_t m, double sec, bool* ok) {
  *ok = h >= 0 && m >= 0 && m < 60 && sec >= 0 && sec <= 60 && h <= 24;
  if (!*ok) return int64_t{0};
  const int64_t usec =
      h * 3600 * kUsecPerSec + m * 60 * kUsecPerSec + static_cast<int64_t>(std::rint(sec * 1e6));
  if (usec > kUsecPerDay) *ok = false;
  return usec;
}

// make_time's message: "%d:%02d:%02g", as PostgreSQL prints the fields.
std::string TimeFieldsText(int64_t h, int64_t m, double sec) {
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02g", static_cast<long long>(h),
                static_cast<long long>(m), sec);
  return buf;
}

std::string SecText(double sec) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%g", sec);
  return buf;
}

Result<Datum> MakeTime(const CallArgs& a) {
  bool ok = false;
  SQLRITE_ASSIGN_OR_RETURN(int64_t t,
                           TimeOfDay(I(a, 0), I(a, 1), DatumAs<double>(a.values[2]), &ok));
  if (!ok) {
    return Fail(sqlstate::kDatetimeFieldOverflow,
                "time field value out of range: " +
                    TimeFieldsText(I(a, 0), I(a, 1), DatumAs<double>(a.values[2])));
  }
  return Datum(t);
}

Result<int64_t> MakeTimestampValue(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Datum date, MakeDate(a));
  bool ok = false;
  SQLRITE_ASSIGN_OR_RETURN(int64_t t,
                           TimeOfDay(I(a, 3), I(a, 4), DatumAs<double>(a.values[5]), &ok));
  if (!ok) {
    return Fail(sqlstate::kDatetimeFieldOverflow,
                "time field value out of range: " +
                    TimeFieldsText(I(a, 3), I(a, 4), DatumAs<double>(a.values[5])));
  }
  SQLRITE_ASSIGN_OR_RETURN(int64_t ts, datetime::DateToTimestamp(DatumAs<int64_t>(date)));
  if (!datetime::TimestampInRange(ts + t)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
  }
  return ts + t;
}

Result<Datum> MakeTimestamp(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(int64_t ts, MakeTimestampValue(a));
  return Datum(ts);
}

Result<Datum> MakeTimestampTz(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(int64_t ts, MakeTimestampValue(a));
  SQLRITE_ASSIGN_OR_RETURN(int64_t utc, datetime::TimestampToTimestampTz(ts));
  return Datum(utc);
}

// make_interval(years, months, weeks, days, hours, mins, secs), each defaulting to 0.
Result<Datum> MakeInterval(const CallArgs& a) {
  auto arg = [&](size_t i) -> int64_t { return i < a.values.size() ? I(a, i) : 0; };
  const double secs = a.values.size() > 6 ? DatumAs<double>(a.values[6]) : 0.0;
  const Int128 months = static_cast<Int128>(arg(0)) * 12 + arg(1);
  const Int128 days = static_cast<Int128>(arg(2)) * 7 + arg(3);
  const double time =
      (static_cast<double>(arg(4)) * 3600 + static_cast<double>(arg(5)) * 60) * 1e6 +
      std::rint(secs * 1e6);
  if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN ||
      std::isnan(time) || std::fabs(time) >= 9.2e18) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  }
  return Datum(Interval{static_cast<int64_t>(time), static_cast<int32_t>(days),
                        static_cast<int32_t>(months)});
}

Result<Datum> ToTimestamp(const CallArgs& a) {
  const double seconds = DatumAs<double>(a.values[0]);
  if (std::isnan(seconds)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "timestamp cannot be NaN");
  }
  if (std::isinf(seconds)) return Datum(seconds > 0 ? datetime::kNoEnd : datetime::kNoBegin);
  const double usec = std::rint((seconds - kPostgresEpochUnix) * 1e6);
  if (!(usec >= -2.1e17 && usec < 9.2e18) ||
      !datetime::TimestampInRange(static_cast<int64_t>(usec))) {
    return Fail(sqlstate::kDatetimeFieldOverflow,
                "timestamp out of range: \"" + SecText(seconds) + "\"");
  }
  return Datum(static_cast<int64_t>(usec));
}

template <Result<Interval> (*fn)(const Interval&)>
Result<Datum> Justify(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Interval v, fn(Iv(a, 0)));
  return Datum(v);
}

Result<Datum> IsFiniteDate(const CallArgs& a) { return Datum(datetime::IsFiniteDate(I(a, 0))); }
Result<Datum> IsFiniteTs(const CallArgs& a) { return Datum(datetime::IsFiniteTimestamp(I(a, 0))); }
Result<Datum> IsFiniteInterval(const CallArgs&) { return Datum(true); }

Result<std::shared_ptr<const tz::TimeZone>> ZoneArg(const std::string& name) {
  auto zone = tz::FindPosix(name);
  if (!zone) {
    return Fail(sqlstate::kInvalidParameterValue, "time zone \"" + name + "\" not recognized");
  }
  return zone;
}

// timezone(zone, timestamptz) / timestamptz AT TIME ZONE zone: the wall clock there.
Result<Datum> AtZoneFromTsTz(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto zone, ZoneArg(S(a, 0)));
  const int64_t ts = I(a, 1);
  if (!datetime::IsFiniteTimestamp(ts)) return Datum(ts);
  return Datum(datetime::UtcToLocal(ts, *zone));
}

// timezone(zone, timestamp) / timestamp AT TIME ZONE zone: the instant that wall clock reads.
Result<Datum> AtZoneFromTs(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto zone, ZoneArg(S(a, 0)));
  const int64_t ts = I(a, 1);
  if (!datetime::IsFiniteTimestamp(ts)) return Datum(ts);
  return Datum(datetime::LocalToUtc(ts, *zone));
}

std::string IntervalText(const Interval& v) {
  std::string out;
  interval::AppendText(out, v);
  return out;
}

// timezone(interval, ...): the interval's whole seconds EAST of Greenwich (the SQL sign
// convention), as PostgreSQL's timestamptz_izone / timestamp_izone.
Result<int64_t> IntervalZoneSeconds(const Interval& v) {
  if (v.month != 0 || v.day != 0) {
    return Fail(sqlstate::kInvalidParameterValue,
                "interval time zone \"" + IntervalText(v) + "\" must not include months or days");
  }
  return v.time / interval::kUsecPerSec;
}

Result<Datum> ShiftedTimestamp(int64_t ts, int64_t east_seconds) {
  if (!datetime::IsFiniteTimestamp(ts)) return Datum(ts);
  const int64_t shifted = ts + east_seconds * interval::kUsecPerSec;
  if (!datetime::TimestampInRange(shifted)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
  }
  return Datum(shifted);
}

Result<Datum> AtIntervalFromTsTz(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(int64_t east, IntervalZoneSeconds(Iv(a, 0)));
  return ShiftedTimestamp(I(a, 1), east);
}

Result<Datum> AtIntervalFromTs(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(int64_t east, IntervalZoneSeconds(Iv(a, 0)));
  return ShiftedTimestamp(I(a, 1), -east);
}

// ---- to_char ----

// The fields to_char formats: a timestamp's (in the session's zone for timestamptz) or an
// interval's (hours may pass 24; days and months as they are).
struct CharFields {
  int64_t year = 0;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t usec = 0;
  int64_t doy = 0;
  int dow = 0;  // 0 Sunday
  int iso_dow = 7;
  int week = 1;
  int iso_year = 1;  // the year of the ISO week (IYYY)
  int64_t julian = 0;
  bool has_zone = false;
  std::string zone_abbrev;
  int32_t offset = 0;
  bool is_interval = false;
};

constexpr std::string_view kMonthNames[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
constexpr std::string_view kDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};

std::string Cased(std::string_view word, int casing) {  // 0 as is, 1 upper, 2 lower
  std::string out(word);
  for (char& c : out) {
    if (casing == 1) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (casing == 2) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Padded(int64_t v, int width, bool fill_mode) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (!fill_mode && digits.size() < static_cast<size_t>(width)) {
    digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  }
  return v < 0 ? "-" + digits : digits;
}

std::string Word(std::string_view word, int casing, bool fill_mode, size_t width) {
  std::string out = Cased(word, casing);
  if (!fill_mode && out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

Result<std::string> FormatChar(const CharFields& f, std::string_view fmt) {
  std::string out;
  size_t i = 0;
  auto at = [&](std::string_view kw) { return fmt.substr(i, kw.size()) == kw; };
  while (i < fmt.size()) {
    bool fm = false;
    if (at("FM") || at("fm")) {
      fm = true;
      i += 2;
      if (i >= fmt.size()) break;
    }
    const int hour12 = f.hour % 12 == 0 ? 12 : f.hour % 12;
    const size_t mi = f.month >= 1 && f.month <= 12 ? static_cast<size_t>(f.month - 1) : 0;
    const size_t di = f.dow >= 0 && f.dow <= 6 ? static_cast<size_t>(f.dow) : 0;
    const int64_t shown_year = f.year > 0 || f.is_interval ? f.year : 1 - f.year;
    const int64_t shown_iso_year = f.iso_year > 0 || f.is_interval ? f.iso_year : 1 - f.iso_year;
    // PostgreSQL prints the ISO year fields with sprintf("%0*d"), the width (sign included) chosen
    // by the sign of the year, not of the ISO year: an interval '0' (ISO year -1) is "-001".
    auto iso_padded = [&](int64_t v, int width) {
      if (fm) return std::to_string(v);
      const size_t w = static_cast<size_t>(shown_year >= 0 ? width : width + 1);
      std::string digits = std::to_string(v < 0 ? -v : v);
      const size_t sign = v < 0 ? 1 : 0;
      if (digits.size() + sign < w) digits.insert(0, w - digits.size() - sign, '0');
      return v < 0 ? "-" + digits : digits;
    };
    // The zone's offset east of UTC (0 for a timestamp without time zone): OF as +hh[:mm],
    // TZH as +hh, TZM as mm.
    const int32_t offset_abs = f.offset < 0 ? -f.offset : f.offset;
    const std::string offset_sign = f.offset < 0 ? "-" : "+";
    const std::string tzm = Padded(offset_abs % 3600 / 60, 2, false);
    const std::string of = offset_sign + Padded(offset_abs / 3600, 2, fm) +
                           (offset_abs % 3600 != 0 ? ":" + tzm : std::string());
    const std::string tzh = offset_sign + Padded(offset_abs / 3600, 2, false);
    struct Kw {
      std::string_view name;
      std::string value;
    };
    const Kw kws[] = {
        {"YYYY", Padded(shown_year, 4, fm)},
        {"yyyy", Padded(shown_year, 4, fm)},
        {"YYY", Padded(shown_year % 1000, 3, fm)},
        {"YY", Padded(shown_year % 100, 2, fm)},
        {"HH24", Padded(f.hour, 2, fm)},
        {"hh24", Padded(f.hour, 2, fm)},
        {"HH12", Padded(hour12, 2, fm)},
        {"hh12", Padded(hour12, 2, fm)},
        {"HH", Padded(hour12, 2, fm)},
        {"hh", Padded(hour12, 2, fm)},
        {"MI", Padded(f.minute, 2, fm)},
        {"mi", Padded(f.minute, 2, fm)},
        {"SSSS", std::to_string(f.hour * 3600 + f.minute * 60 + f.second)},
        {"SS", Padded(f.second, 2, fm)},
        {"ss", Padded(f.second, 2, fm)},
        {"MS", Padded(f.usec / 1000, 3, fm)},
        {"ms", Padded(f.usec / 1000, 3, fm)},
        {"US", Padded(f.usec, 6, fm)},
        {"us", Padded(f.usec, 6, fm)},
        {"AM", f.hour < 12 ? "AM" : "PM"},
        {"PM", f.hour < 12 ? "AM" : "PM"},
        {"am", f.hour < 12 ? "am" : "pm"},
        {"pm", f.hour < 12 ? "am" : "pm"},
        {"A.M.", f.hour < 12 ? "A.M." : "P.M."},
        {"P.M.", f.hour < 12 ? "A.M." : "P.M."},
        {"MONTH", Word(kMonthNames[mi], 1, fm, 9)},
        {"Month", Word(kMonthNames[mi], 0, fm, 9)},
        {"month", Word(kMonthNames[mi], 2, fm, 9)},
        {"MON", Cased(kMonthNames[mi].substr(0, 3), 1)},
        {"Mon", std::string(kMonthNames[mi].substr(0, 3))},
        {"mon", Cased(kMonthNames[mi].substr(0, 3), 2)},
        {"MM", Padded(f.month, 2, fm)},
        {"mm", Padded(f.month, 2, fm)},
        {"DAY", Word(kDayNames[di], 1, fm, 9)},
        {"Day", Word(kDayNames[di], 0, fm, 9)},
        {"day", Word(kDayNames[di], 2, fm, 9)},
        {"DY", Cased(kDayNames[di].substr(0, 3), 1)},
        {"Dy", std::string(kDayNames[di].substr(0, 3))},
        {"dy", Cased(kDayNames[di].substr(0, 3), 2)},
        {"DDD", Padded(f.doy, 3, fm)},
        {"ddd", Padded(f.doy, 3, fm)},
        // DD pads to 2 with the sign counted (sprintf's %02d: -3 is "-3"), unlike HH24 or MI.
        {"DD", f.day < 0 && !fm ? std::to_string(f.day) : Padded(f.day, 2, fm)},
        {"dd", f.day < 0 && !fm ? std::to_string(f.day) : Padded(f.day, 2, fm)},
        {"D", std::to_string(f.dow + 1)},
        {"d", std::to_string(f.dow + 1)},
        {"IDDD", Padded((f.week - 1) * 7 + f.iso_dow, 3, fm)},
        {"iddd", Padded((f.week - 1) * 7 + f.iso_dow, 3, fm)},
        {"ID", std::to_string(f.iso_dow)},
        {"id", std::to_string(f.iso_dow)},
        {"IW", Padded(f.week, 2, fm)},
        {"iw", Padded(f.week, 2, fm)},
        {"IYYY", iso_padded(shown_iso_year, 4)},
        {"iyyy", iso_padded(shown_iso_year, 4)},
        {"IYY", iso_padded(shown_iso_year % 1000, 3)},
        {"iyy", iso_padded(shown_iso_year % 1000, 3)},
        {"IY", iso_padded(shown_iso_year % 100, 2)},
        {"iy", iso_padded(shown_iso_year % 100, 2)},
        {"I", std::to_string(shown_iso_year % 10)},  // "%1d", as Y
        {"i", std::to_string(shown_iso_year % 10)},
        {"OF", of},
        {"of", of},
        {"TZH", tzh},
        {"tzh", tzh},
        {"TZM", tzm},
        {"tzm", tzm},
        // WW: weeks counted from January 1st (days 1-7 are week 1); W: from the month's 1st.
        {"WW", Padded((f.doy - 1) / 7 + 1, 2, fm)},
        {"W", std::to_string((f.day - 1) / 7 + 1)},
        {"CC", Padded(f.is_interval ? f.year / 100
                      : f.year > 0  ? (f.year + 99) / 100
                                    : -((99 - (f.year - 1)) / 100),
                      2, fm)},
        {"Q", std::to_string((f.month - 1) / 3 + 1)},
        {"J", std::to_string(f.julian)},
        {"TZ", Cased(f.zone_abbrev, 1)},
        {"tz", Cased(f.zone_abbrev, 2)},
        {"Y", Padded(shown_year % 10, 1, fm)},
    };
    if (fmt[i] == '"') {  // quoted literal text
      ++i;
      while (i < fmt.size() && fmt[i] != '"') {
        if (fmt[i] == '\\' && i + 1 < fmt.size()) ++i;
        out.push_back(fmt[i++]);
      }
      ++i;
      continue;
    }
    bool matched = false;
    for (const Kw& kw : kws) {
      if (at(kw.name)) {
        // INVALID_FOR_INTERVAL: the zone's fields and the day of the week.
        static constexpr std::string_view kNotForInterval[] = {
            "OF",  "of",  "TZH", "tzh", "TZM", "tzm", "TZ", "tz", "DAY",
            "Day", "day", "DY",  "Dy",  "dy",  "D",   "d",  "ID", "id"};
        if (f.is_interval && std::find(std::begin(kNotForInterval), std::end(kNotForInterval),
                                       kw.name) != std::end(kNotForInterval)) {
          return Fail(Error(sqlstate::kInvalidDatetimeFormat,
                            "invalid format specification for an interval value")
                          .WithHint("Intervals are not tied to specific calendar dates."));
        }
        // Zone fields of a value without a zone print nothing, as PostgreSQL's.
        if ((kw.name == "TZ" || kw.name == "tz") && !f.has_zone) {
          i += kw.name.size();
          matched = true;
          break;
        }
        out += kw.value;
        i += kw.name.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (fmt[i] == '\\' && i + 1 < fmt.size()) ++i;
    out.push_back(fmt[i++]);
  }
  return out;
}

CharFields FieldsOfLocal(int64_t local) {
  CharFields c;
  const Fields f = datetime::SplitTimestamp(local);
  c.year = f.year;
  c.month = f.month;
  c.day = f.day;
  c.hour = f.hour;
  c.minute = f.minute;
  c.second = f.second;
  c.usec = f.usec;
  c.julian = datetime::DateToJulian(f.year, f.month, f.day);
  c.doy = c.julian - datetime::DateToJulian(f.year, 1, 1) + 1;
  c.dow = J2Day(c.julian);
  c.iso_dow = c.dow == 0 ? 7 : c.dow;
  IsoWeek(f.year, f.month, f.day, &c.week, &c.iso_year);
  return c;
}

Result<Datum> ToCharTs(const CallArgs& a) {
  const int64_t ts = I(a, 0);
  if (!datetime::IsFiniteTimestamp(ts)) return Datum{};
  SQLRITE_ASSIGN_OR_RETURN(std::string text, FormatChar(FieldsOfLocal(ts), S(a, 1)));
  return Datum(std::move(text));
}

Result<Datum> ToCharTsTz(const CallArgs& a) {
  const int64_t ts = I(a, 0);
  if (!datetime::IsFiniteTimestamp(ts)) return Datum{};
  const tz::TimeZone& zone = *CurrentDateTime().zone;
  std::string abbrev;
  const int32_t offset = zone.OffsetAt(
      static_cast<int64_t>(std::floor(static_cast<double>(ts) / kUsecPerSec)) + kPostgresEpochUnix,
      &abbrev);
  CharFields c = FieldsOfLocal(ts + offset * kUsecPerSec);
  c.has_zone = true;
  c.zone_abbrev = abbrev;
  c.offset = offset;
  SQLRITE_ASSIGN_OR_RETURN(std::string text, FormatChar(c, S(a, 1)));
  return Datum(std::move(text));
}

Result<Datum> ToCharInterval(const CallArgs& a) {
  const Interval& v = Iv(a, 0);
  CharFields c;
  c.is_interval = true;
  c.year = v.month / 12;
  c.month = static_cast<int>(v.month % 12);
  c.day = v.day;
  int64_t t = v.time;
  c.hour = static_cast<int>(t / (3600 * kUsecPerSec));
  t -= c.hour * 3600 * kUsecPerSec;
  c.minute = static_cast<int>(t / (60 * kUsecPerSec));
  t -= c.minute * 60 * kUsecPerSec;
  c.second = static_cast<int>(t / kUsecPerSec);
  c.usec = t - c.second * kUsecPerSec;
  // PostgreSQL takes the ISO week and year of the interval's fields read as a date (year, month
  // 0-11, day): interval '1 year' is ISO year 0, week 48.
  IsoWeek(static_cast<int>(c.year), c.month, c.day, &c.week, &c.iso_year);
  const int dow = J2Day(datetime::DateToJulian(static_cast<int>(c.year), c.month, c.day));
  c.iso_dow = dow == 0 ? 7 : dow;  // for IDDD (date2isoyearday); D and ID refuse an interval
  SQLRITE_ASSIGN_OR_RETURN(std::string text, FormatChar(c, S(a, 1)));
  return Datum(std::move(text));
}

// ---- to_date / to_timestamp(text, format) ----

// Julian day of Monday of ISO week `week` of ISO year `year` (PostgreSQL's isoweek2j): week 1
// holds January 4th, and day0, the weekday (Sunday 0) of January 3rd, is how far that Monday
// lies before the 4th.
// A week far past the date range wraps as PostgreSQL's int arithmetic does (the date is then
// out of range); it is not undefined behaviour here.
int IsoWeekToJulian(int year, int week) {
  // date2j(year, 1, 4) in int as PostgreSQL computes it: year + 4799 wraps for the largest
  // years (IYYY 2147483647 reads as a date in year 4453804 there), the rest as a truncated sum.
  const int64_t y = static_cast<int32_t>(static_cast<uint32_t>(year) + 4799u);
  const int64_t century = y / 100;
  const int day4 =
      static_cast<int>(y * 365 - 32167 + y / 4 - century + century / 4 + 7834 * 14 / 256 + 4);
  int day0 = day4 % 7;  // j2day(day4 - 1)
  if (day0 < 0) day0 += 7;
  return static_cast<int>((int64_t{week} - 1) * 7 + (int64_t{day4} - day0));
}

bool IsLeapYear(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

// Reads input by a to_char pattern (the fields: YYYY YYY YY Y IYYY IYY IY I CC BC/AD (B.C./A.D.)
// MM DD DDD IDDD D ID W WW IW J HH24 HH12 HH MI SS MS US Mon Month Dy Day AM PM, FM; other
// pattern characters skip one input character, spaces any run of spaces), as PostgreSQL's
// to_timestamp reads it outside FX mode, then combines the fields as its do_to_timestamp does.
Result<Fields> ReadByFormat(std::string_view input, std::string_view fmt) {
  Fields f;
  f.year = 0;
  // clock_12: AM / PM, HH or HH12 read (the hour must be 1 to 12; 12 without PM is 0).
  bool pm = false, clock_12 = false;
  int64_t day_of_year = 0;  // DDD / IDDD (0: not given)
  // The date fields as PostgreSQL's TmFromChar keeps them (0: not given) until combined below.
  int64_t year = 0, century = 0, julian = 0, week = 0, week_of_month = 0, weekday = 0;
  int64_t month = 0, day = 0;
  int year_digits = 0;  // yysz: 4 for YYYY, 2 for YY, ...
  int bc = 0;           // 1 after BC, 0 after AD or neither (from_char_set_int's "not set")
  // 0: not known yet, 1: Gregorian (YYYY, MM, DD, WW, ...), 2: ISO week date (IYYY, IW, ID).
  int mode = 0;
  auto set_mode = [&](int m) -> Status {
    if (mode != 0 && mode != m) {
      return Fail(Error(sqlstate::kInvalidDatetimeFormat, "invalid combination of date conventions")
                      .WithHint("Do not mix Gregorian and ISO week date conventions in a "
                                "formatting template."));
    }
    mode = m;
    return Ok();
  };
  // from_char_set_int: a field given again must repeat the value kept (the value as read
  // against the one kept, so "20 20" under YY YY conflicts with the 2020 the first made); name
  // is the field as the format spells it.
  auto set_field = [&](auto& dest, int64_t value, std::string_view name) -> Status {
    if (dest != 0 && dest != value) {
      return Fail(
          Error(sqlstate::kInvalidDatetimeFormat,
                "conflicting values for \"" + std::string(name) + "\" field in formatting string")
              .WithDetail("This value contradicts a previous setting for the same field "
                          "type."));
    }
    dest = static_cast<std::remove_reference_t<decltype(dest)>>(value);
    return Ok();
  };
  // MS and US as read and scaled (0: not given).
  int64_t ms_field = 0, us_field = 0;
  int64_t since_midnight = 0;  // SSSS / SSSSS (0: not given)
  size_t i = 0, j = 0;
  auto skip_spaces = [&] {
    while (i < input.size() && std::isspace(static_cast<unsigned char>(input[i]))) ++i;
  };
  // The value shown is the field's length of input, as from_char_parse_int_len's.
  auto bad_value = [&](std::string_view field, size_t len) {
    std::string value(input.substr(i, len));
    return Fail(Error(sqlstate::kInvalidDatetimeFormat,
                      "invalid value \"" + value + "\" for \"" + std::string(field) + "\"")
                    .WithDetail("Value must be an integer."));
  };
  bool fill_mode = false;  // FM before the field being read
  // Whether what follows the field in the format cannot be a digit (PostgreSQL's
  // is_next_separator): the end, a literal that is not a digit, or a field of letters.
  auto next_is_separator = [&] {
    if (j >= fmt.size()) return true;
    const unsigned char c = static_cast<unsigned char>(fmt[j]);
    if (std::isdigit(c)) return false;
    if (!std::isalpha(c)) return true;
    std::string next(fmt.substr(j, 4));
    for (char& ch : next) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    for (std::string_view word : {"MON", "DAY", "DY", "AM", "PM", "A.M.", "P.M."}) {
      if (next.rfind(word, 0) == 0) return true;
    }
    return !(next[0] == 'Y' || next[0] == 'M' || next[0] == 'D' || next[0] == 'H' ||
             next[0] == 'S' || next[0] == 'U' || next[0] == 'F' || next[0] == 'I' ||
             next[0] == 'W' || next[0] == 'J' || next[0] == 'C' || next[0] == 'Q');
  };
  // A field of len digits, as PostgreSQL's from_char_parse_int_len: exactly len characters,
  // unless the field is in fill mode or a separator follows it, when every digit there is read
  // (YYYY takes 12024 from "12024-01-15", but 2024 from "20240115").
  auto number = [&](std::string_view field, size_t len) -> Result<int64_t> {
    skip_spaces();
    const bool slurp = fill_mode || next_is_separator();
    fill_mode = false;
    const size_t init = i;
    size_t end = input.size();
    if (!slurp) {
      if (input.size() - i < len) {
        return Fail(
            Error(sqlstate::kInvalidDatetimeFormat,
                  "source string too short for \"" + std::string(field) + "\" formatting field")
                .WithDetail("Field requires " + std::to_string(len) + " characters, but only " +
                            std::to_string(input.size() - i) + " remain.")
                .WithHint("If your source string is not fixed-width, try using the "
                          "\"FM\" modifier."));
      }
      end = i + len;
    }
    bool neg = false;
    if (i < end && (input[i] == '-' || input[i] == '+')) {
      neg = input[i] == '-';
      ++i;
    }
    const size_t start = i;
    // strtol's long, then the int range (2147483647 itself is a value); v stops growing past
    // it, so a long run of digits cannot overflow.
    int64_t v = 0;
    while (i < end && std::isdigit(static_cast<unsigned char>(input[i]))) {
      v = std::min<int64_t>(v * 10 + (input[i++] - '0'), int64_t{1} << 40);
    }
    if (neg ? -v < std::numeric_limits<int32_t>::min() : v > std::numeric_limits<int32_t>::max()) {
      i = init;
      return Fail(Error(sqlstate::kDatetimeFieldOverflow,
                        "value for \"" + std::string(field) + "\" in source string is out of range")
                      .WithDetail("Value must be in the range -2147483648 to 2147483647."));
    }
    if (i == start) {
      i = init;
      return bad_value(field, len);
    }
    if (!slurp && i < end) {
      const std::string value(input.substr(init, len));
      i = init;
      return Fail(Error(sqlstate::kInvalidDatetimeFormat,
                        "invalid value \"" + value + "\" for \"" + std::string(field) + "\"")
                      .WithDetail("Field requires " + std::to_string(len) +
                                  " characters, but only " + std::to_string(i - start) +
                                  " could be parsed.")
                      .WithHint("If your source string is not fixed-width, try using the "
                                "\"FM\" modifier."));
    }
    return neg ? -v : v;
  };
  // A numeric field spelled `name` in the format, at j: its date convention noted (1
  // Gregorian, 2 ISO, 0 either), j past it, at most `digits` digits read into dest (the format's
  // own letters name it in a conflict).
  auto numeric_field = [&](auto& dest, std::string_view name, size_t digits,
                           int convention) -> Status {
    if (convention != 0) SQLRITE_TRY(set_mode(convention));
    const std::string_view written = fmt.substr(j, name.size());
    j += name.size();
    SQLRITE_ASSIGN_OR_RETURN(int64_t v, number(name, digits));
    return set_field(dest, v, written);
  };
  // PostgreSQL's adjust_partial_year_to_2020 for YYY, YY and Y.
  auto partial_year = [](int64_t y) {
    if (y < 70) return y + 2000;
    if (y < 100) return y + 1900;
    if (y < 520) return y + 2000;
    if (y < 1000) return y + 1000;
    return y;
  };
  auto starts = [&](std::string_view kw) { return fmt.substr(j, kw.size()) == kw; };
  auto istarts = [&](std::string_view word) {
    if (input.size() - i < word.size()) return false;
    for (size_t k = 0; k < word.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(input[i + k])) !=
          std::tolower(static_cast<unsigned char>(word[k]))) {
        return false;
      }
    }
    return true;
  };
  // The input from i up to the next space: what from_char_seq_search quotes for a name it does
  // not know.
  auto word_at_i = [&] {
    size_t end = i;
    while (end < input.size() && !std::isspace(static_cast<unsigned char>(input[end]))) ++end;
    return std::string(input.substr(i, end - i));
  };
  // A month or day name at i (full, or its first three letters when abbreviated), for the
  // format's field of len letters just passed (j): its index in names, i past it; else
  // from_char_seq_search's invalid-value error quoting the input up to the next space.
  auto name_index = [&](std::span<const std::string_view> names, bool abbreviated,
                        size_t len) -> Result<size_t> {
    skip_spaces();
    for (size_t k = 0; k < names.size(); ++k) {
      const std::string_view name = abbreviated ? names[k].substr(0, 3) : names[k];
      if (istarts(name)) {
        i += name.size();
        return k;
      }
    }
    return Fail(
        Error(sqlstate::kInvalidDatetimeFormat, "invalid value \"" + word_at_i() + "\" for \"" +
                                                    std::string(fmt.substr(j - len, len)) + "\"")
            .WithDetail("The given value did not match any of the allowed values for "
                        "this field."));
  };
  // As PostgreSQL's DCH_from_char, the fields after the end of the input are not read.
  while (j < fmt.size() && i < input.size()) {
    if (starts("FM") || starts("fm")) {
      j += 2;
      fill_mode = true;
      continue;
    }
    const std::string_view upper_fmt = fmt.substr(j);
    auto kw = [&](std::string_view name) {
      if (upper_fmt.size() < name.size()) return false;
      for (size_t k = 0; k < name.size(); ++k) {
        if (std::toupper(static_cast<unsigned char>(upper_fmt[k])) != name[k]) return false;
      }
      return true;
    };
    if (kw("Y,YYY")) {
      // As DCH_from_char's sscanf("%d,%03d"): thousands, a comma, then up to three characters
      // of the rest (a sign may be one of them); a four-digit year.
      SQLRITE_TRY(set_mode(1));
      j += 5;
      auto scan_int = [&](size_t width, int64_t* out) {
        skip_spaces();
        const size_t limit = std::min(input.size(), i + width);
        size_t k = i;
        bool neg = false;
        if (k < limit && (input[k] == '-' || input[k] == '+')) neg = input[k++] == '-';
        const size_t digits_start = k;
        int64_t v = 0;
        while (k < limit && std::isdigit(static_cast<unsigned char>(input[k]))) {
          v = std::min<int64_t>(v * 10 + (input[k++] - '0'), int64_t{1} << 40);
        }
        if (k == digits_start) return false;
        *out = neg ? -v : v;
        i = k;
        return true;
      };
      int64_t millennia = 0, years = 0;
      if (!scan_int(input.size(), &millennia) || i >= input.size() || input[i] != ',' ||
          (++i, !scan_int(3, &years))) {
        return Fail(sqlstate::kInvalidDatetimeFormat, "invalid input string for \"Y,YYY\"");
      }
      const int64_t y = static_cast<int32_t>(static_cast<uint32_t>(years + millennia * 1000));
      SQLRITE_TRY(set_field(year, y, fmt.substr(j - 5, 5)));
      year_digits = 4;
      continue;
    }
    // The year fields: YYYY .. Y Gregorian, IYYY .. I the ISO year.
    std::string_view year_field;
    for (std::string_view name : {"IYYY", "YYYY", "IYY", "YYY", "IY", "YY"}) {
      if (kw(name)) {
        year_field = name;
        break;
      }
    }
    if (year_field.empty() && kw("Y") && !kw("Y,YYY")) year_field = "Y";
    if (year_field.empty() && kw("I") && !kw("ID") && !kw("IW") && !kw("IDDD")) year_field = "I";
    if (!year_field.empty()) {
      const bool iso = year_field.front() == 'I';
      SQLRITE_TRY(set_mode(iso ? 2 : 1));
      j += year_field.size();
      // IYYY reads four digits as YYYY does. As DCH_from_char, YYY .. Y (and IYY .. I) move a
      // year read from fewer than four characters (a sign included, the spaces before it not,
      // as from_char_parse_int_len counts them) near 2020; YYYY and IYYY never do.
      const int digits = static_cast<int>(year_field.size());
      const std::string field_name(year_field);
      skip_spaces();
      const size_t before = i;
      SQLRITE_ASSIGN_OR_RETURN(int64_t y, number(field_name, static_cast<size_t>(digits)));
      SQLRITE_TRY(set_field(year, y, fmt.substr(j - year_field.size(), year_field.size())));
      if (digits != 4 && i - before < 4) year = partial_year(year);
      year_digits = digits;
    } else if (kw("B.C.") || kw("A.D.") || kw("BC") || kw("AD")) {
      const bool dotted = kw("B.C.") || kw("A.D.");
      j += dotted ? 4 : 2;
      skip_spaces();
      int value;
      if (istarts(dotted ? "b.c." : "bc")) {
        value = 1;
      } else if (istarts(dotted ? "a.d." : "ad")) {
        value = 0;
      } else {
        return Fail(Error(sqlstate::kInvalidDatetimeFormat,
                          "invalid value \"" + word_at_i() + "\" for \"" +
                              std::string(fmt.substr(j - (dotted ? 4 : 2), dotted ? 4 : 2)) + "\"")
                        .WithDetail("The given value did not match any of the allowed values "
                                    "for this field."));
      }
      if (bc != 0 && bc != value) {
        return Fail(
            Error(sqlstate::kInvalidDatetimeFormat,
                  "conflicting values for \"" +
                      std::string(fmt.substr(j - (dotted ? 4 : 2), dotted ? 4 : 2)) +
                      "\" field in formatting string")
                .WithDetail("This value contradicts a previous setting for the same field type."));
      }
      bc = value;
      i += dotted ? 4 : 2;
    } else if (kw("CC")) {
      SQLRITE_TRY(numeric_field(century, "CC", 2, 0));
    } else if (kw("J")) {
      SQLRITE_TRY(numeric_field(julian, "J", 1, 0));
    } else if (kw("IW") || kw("WW")) {
      const bool iso = kw("IW");
      SQLRITE_TRY(numeric_field(week, iso ? "IW" : "WW", 2, iso ? 2 : 1));
    } else if (kw("W")) {
      SQLRITE_TRY(numeric_field(week_of_month, "W", 1, 1));
    } else if (kw("IDDD")) {
      SQLRITE_TRY(numeric_field(day_of_year, "IDDD", 3, 2));
    } else if (kw("ID")) {
      SQLRITE_TRY(numeric_field(weekday, "ID", 1, 2));
      // Sunday = 1, as D numbers the days.
      if (++weekday > 7) weekday = 1;
    } else if (kw("MONTH") || kw("MON")) {
      // A month name is Gregorian, and the month MM gives (from_char_set_int on tmfc.mm).
      const bool full = kw("MONTH");
      SQLRITE_TRY(set_mode(1));
      const size_t len = full ? 5 : 3;
      j += len;
      SQLRITE_ASSIGN_OR_RETURN(size_t m, name_index(kMonthNames, !full, len));
      SQLRITE_TRY(set_field(month, static_cast<int64_t>(m + 1), fmt.substr(j - len, len)));
    } else if (kw("DAY") || kw("DY")) {
      // A day name sets the weekday D gives (Sunday 1), which the ISO week date reads; it is of
      // neither convention. As DCH_from_char, the name's index is checked against the weekday
      // kept, then shifted.
      const bool full = kw("DAY");
      const size_t len = full ? 3 : 2;
      j += len;
      SQLRITE_ASSIGN_OR_RETURN(size_t d, name_index(kDayNames, !full, len));
      SQLRITE_TRY(set_field(weekday, static_cast<int64_t>(d), fmt.substr(j - len, len)));
      ++weekday;
    } else if (kw("MM")) {
      SQLRITE_TRY(numeric_field(month, "MM", 2, 1));
    } else if (kw("DDD")) {
      SQLRITE_TRY(numeric_field(day_of_year, "DDD", 3, 1));
    } else if (kw("DD")) {
      SQLRITE_TRY(numeric_field(day, "DD", 2, 1));
    } else if (kw("D")) {
      SQLRITE_TRY(numeric_field(weekday, "D", 1, 1));
    } else if (kw("HH24") || kw("HH12") || kw("HH")) {
      const bool h24 = kw("HH24");
      const size_t len = kw("HH") && !kw("HH24") && !kw("HH12") ? 2 : 4;
      j += len;
      SQLRITE_ASSIGN_OR_RETURN(int64_t v, number(h24 ? "HH24" : "HH12", 2));
      SQLRITE_TRY(set_field(f.hour, v, fmt.substr(j - len, len)));
      if (!h24) clock_12 = true;
    } else if (kw("MI")) {
      SQLRITE_TRY(numeric_field(f.minute, "MI", 2, 0));
    } else if (kw("SSSSS") || kw("SSSS")) {
      // Seconds since midnight: the hour, minute and second where HH, MI and SS give none.
      const size_t len = kw("SSSSS") ? 5 : 4;
      j += len;
      SQLRITE_ASSIGN_OR_RETURN(int64_t v, number(len == 5 ? "SSSSS" : "SSSS", len));
      SQLRITE_TRY(set_field(since_midnight, v, fmt.substr(j - len, len)));
    } else if (kw("SS")) {
      SQLRITE_TRY(numeric_field(f.second, "SS", 2, 0));
    } else if (kw("MS") || kw("US")) {
      // The digits after the decimal point, as PostgreSQL reads them: "12.3" with SS.MS is 12.3
      // seconds, "025" with MS 25 ms; MS and US add up.
      const bool ms = kw("MS");
      j += 2;
      const size_t before = i;
      SQLRITE_ASSIGN_OR_RETURN(int64_t v, number(ms ? "MS" : "US", ms ? 3 : 6));
      size_t digits = 0;
      for (size_t k = before; k < i; ++k) {
        if (std::isdigit(static_cast<unsigned char>(input[k]))) ++digits;
      }
      // A second MS (or US) must repeat the first's value, as from_char_set_int checks it: the
      // number read against the one kept, already scaled ("1.1 100" agrees, "1.1 1" does not).
      int64_t& kept = ms ? ms_field : us_field;
      if (kept != 0 && kept != v) {
        return Fail(Error(sqlstate::kInvalidDatetimeFormat,
                          std::string("conflicting values for \"") + (ms ? "MS" : "US") +
                              "\" field in formatting string")
                        .WithDetail("This value contradicts a previous setting for the same field "
                                    "type."));
      }
      static constexpr int64_t kScale[] = {1, 100000, 10000, 1000, 100, 10, 1};
      const int64_t ms_scale = digits == 1 ? 100 : digits == 2 ? 10 : 1;
      const int64_t us_scale = digits < 6 ? kScale[digits] : 1;
      const int64_t scaled = v * (ms ? ms_scale : us_scale);
      f.usec += (scaled - kept) * (ms ? 1000 : 1);
      kept = scaled;
    } else if (kw("AM") || kw("PM") || kw("A.M.") || kw("P.M.")) {
      const bool dotted = kw("A.M.") || kw("P.M.");
      j += dotted ? 4 : 2;
      skip_spaces();
      if (istarts(dotted ? "p.m." : "pm")) {
        pm = true;
      } else if (!istarts(dotted ? "a.m." : "am")) {
        return Fail(Error(sqlstate::kInvalidDatetimeFormat,
                          "invalid value \"" + word_at_i() + "\" for \"" +
                              std::string(fmt.substr(j - (dotted ? 4 : 2), dotted ? 4 : 2)) + "\"")
                        .WithDetail("The given value did not match any of the allowed values "
                                    "for this field."));
      }
      clock_12 = true;
      i += dotted ? 4 : 2;
    } else {
      const char c = fmt[j++];
      if (std::isspace(static_cast<unsigned char>(c))) {
        skip_spaces();
      } else if (i < input.size()) {
        ++i;
      }
    }
  }
  // do_to_timestamp: the year (astronomical: 0 is 1 BC, as when none is given), then a Julian
  // day, a week, the day of the month and the month, then a day of the year where MM or DD did
  // not say otherwise.
  const bool is_bc = bc == 1;
  if (year != 0) {
    if (century != 0 && year_digits <= 2) {
      // CC with YY or Y: YY is the year within that century (the 21st runs 2001 to 2100).
      const int64_t cc = is_bc ? -century : century;
      const int64_t yy = year % 100;
      if (yy != 0) {
        f.year = static_cast<int>(cc >= 0 ? yy + (cc - 1) * 100 : (cc + 1) * 100 - yy + 1);
      } else {
        f.year = static_cast<int>(cc * 100 + (cc >= 0 ? 0 : 1));
      }
    } else {
      int64_t y = is_bc ? -year : year;
      if (y < 0) ++y;  // -44 (or 44 BC) is astronomical -43
      f.year = static_cast<int>(y);
    }
  } else if (century != 0) {
    // The century's first year (year 599 is 600 BC).
    const int64_t cc = is_bc ? -century : century;
    f.year = static_cast<int>(cc >= 0 ? (cc - 1) * 100 + 1 : cc * 100 + 1);
  }
  if (julian != 0) {
    datetime::JulianToDate(static_cast<int>(julian), &f.year, &f.month, &f.day);
  }
  if (week != 0) {
    if (mode == 2) {
      // The ISO week of the ISO year; Monday unless ID gives the day.
      int jd = IsoWeekToJulian(f.year, static_cast<int>(week));
      if (weekday != 0) jd = static_cast<int>(int64_t{jd} + (weekday > 1 ? weekday - 2 : 6));
      datetime::JulianToDate(jd, &f.year, &f.month, &f.day);
    } else {
      day_of_year = (week - 1) * 7 + 1;
    }
  }
  if (week_of_month != 0) day = (week_of_month - 1) * 7 + 1;
  if (day != 0) f.day = static_cast<int>(day);
  if (month != 0) f.month = static_cast<int>(month);
  // A negative DDD gives a day of the month below 1, refused below as PostgreSQL's ValidateDate
  // does; a negative IDDD keeps the date it had (PostgreSQL's differs: not modelled).
  if ((day_of_year > 0 || (day_of_year < 0 && mode != 2)) && (f.month <= 1 || f.day <= 1)) {
    if (f.year == 0 && !is_bc) {
      return Fail(sqlstate::kInvalidDatetimeFormat,
                  "cannot calculate day of year without year information");
    }
    if (mode == 2) {
      // A day of the ISO year: from the day before its first Monday.
      const int j0 = IsoWeekToJulian(f.year, 1) - 1;
      datetime::JulianToDate(static_cast<int>(int64_t{j0} + day_of_year), &f.year, &f.month,
                             &f.day);
    } else {
      static constexpr int kDaysBefore[2][13] = {
          {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
          {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}};
      const int* before = kDaysBefore[IsLeapYear(f.year) ? 1 : 0];
      int m = 1;
      while (m <= 12 && day_of_year > before[m]) ++m;
      if (f.month <= 1) f.month = m;
      if (f.day <= 1) f.day = static_cast<int>(day_of_year - before[m - 1]);
    }
  }
  // As do_to_timestamp: SSSS gives the time, then an HH, MI or SS given (not 0) replaces its part.
  if (since_midnight != 0) {
    const int x = static_cast<int>(since_midnight);
    if (f.hour == 0) f.hour = x / 3600;
    if (f.minute == 0) f.minute = x % 3600 / 60;
    if (f.second == 0) f.second = x % 60;
  }
  if (clock_12) {
    if (f.hour < 1 || f.hour > 12) {
      return Fail(Error(sqlstate::kInvalidDatetimeFormat,
                        "hour \"" + std::to_string(f.hour) + "\" is invalid for the 12-hour clock")
                      .WithHint("Use the 24-hour clock, or give an hour between 1 and 12."));
    }
    f.hour = f.hour % 12 + (pm ? 12 : 0);
  }
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > datetime::DaysInMonth(f.year, f.month) ||
      f.hour < 0 || f.hour >= 24 || f.minute < 0 || f.minute >= 60 || f.second < 0 ||
      f.second >= 60 || f.usec < 0 || f.usec >= 1000000) {
    return Fail(sqlstate::kDatetimeFieldOverflow,
                "date/time field value out of range: \"" + std::string(input) + "\"");
  }
  return f;
}

Result<Datum> ToDate(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Fields f, ReadByFormat(S(a, 0), S(a, 1)));
  // IS_VALID_JULIAN before date2j, as PostgreSQL's to_date: a year far past the range (CC or
  // YYYY in the millions) is out of range, not a Julian day that wrapped.
  const bool valid_julian = (f.year > -4713 || (f.year == -4713 && f.month >= 11)) &&
                            (f.year < 5874898 || (f.year == 5874898 && f.month < 6));
  if (!valid_julian) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "date out of range: \"" + S(a, 0) + "\"");
  }
  const int64_t days =
      int64_t{datetime::DateToJulian(f.year, f.month, f.day)} - datetime::kPostgresEpochJdate;
  if (!datetime::DateInRange(days)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "date out of range: \"" + S(a, 0) + "\"");
  }
  return Datum(days);
}

Result<Datum> ToTimestampFormat(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Fields f, ReadByFormat(S(a, 0), S(a, 1)));
  SQLRITE_ASSIGN_OR_RETURN(int64_t local, datetime::JoinTimestamp(f));
  SQLRITE_ASSIGN_OR_RETURN(int64_t utc, datetime::TimestampToTimestampTz(local));
  return Datum(utc);
}

// (s1, e1) OVERLAPS (s2, e2): each period's ends in either order (overlaps_timestamp; the
// arguments are int64_t values of one type: time, timestamp or timestamptz).
Result<Datum> Overlaps(const CallArgs& a) {
  int64_t s1 = I(a, 0), e1 = I(a, 1), s2 = I(a, 2), e2 = I(a, 3);
  if (s1 > e1) std::swap(s1, e1);
  if (s2 > e2) std::swap(s2, e2);
  if (s1 > s2) return Datum(s1 < e2);
  if (s1 < s2) return Datum(s2 < e1);
  return Datum(true);
}

Builtin Clock(std::string_view name, TypeId result, Impl impl) {
  Builtin b = Fn(name, {}, result, impl);
  b.foldable = false;
  return b;
}

}  // namespace

void AddDateTimeFunctions(std::vector<Builtin>& out) {
  out.push_back(Clock("now", kTsTz, Now));
  out.push_back(Clock("current_timestamp", kTsTz, Now));
  out.push_back(Clock("transaction_timestamp", kTsTz, Now));
  out.push_back(Clock("statement_timestamp", kTsTz, StatementTimestamp));
  out.push_back(Fn("pg_postmaster_start_time", {}, kTsTz, PostmasterStartTime));
  Builtin clock_timestamp = Clock("clock_timestamp", kTsTz, ClockNow);
  clock_timestamp.is_volatile = true;  // another value at every call, as in PostgreSQL
  out.push_back(clock_timestamp);
  out.push_back(Clock("localtimestamp", kTs, LocalTimestamp));
  out.push_back(Clock("current_date", kDate, CurrentDate));
  out.push_back(Clock("localtime", kTime, LocalTime));

  out.push_back(Fn("extract", {kText, kDate}, TypeId::kNumeric, Extract<kDate>));
  out.push_back(Fn("extract", {kText, kTime}, TypeId::kNumeric, Extract<kTime>));
  out.push_back(Fn("extract", {kText, kTs}, TypeId::kNumeric, Extract<kTs>));
  out.push_back(Fn("extract", {kText, kTsTz}, TypeId::kNumeric, Extract<kTsTz>));
  out.push_back(Fn("extract", {kText, kIv}, TypeId::kNumeric, Extract<kIv>));
  out.push_back(Fn("date_part", {kText, kDate}, kF8, DatePart<kDate>));
  out.push_back(Fn("date_part", {kText, kTime}, kF8, DatePart<kTime>));
  out.push_back(Fn("date_part", {kText, kTs}, kF8, DatePart<kTs>));
  out.push_back(Fn("date_part", {kText, kTsTz}, kF8, DatePart<kTsTz>));
  out.push_back(Fn("date_part", {kText, kIv}, kF8, DatePart<kIv>));

  out.push_back(Fn("date_trunc", {kText, kTs}, kTs, TruncTimestamp));
  out.push_back(Fn("date_trunc", {kText, kTsTz}, kTsTz, TruncTimestampTz));
  out.push_back(Fn("date_trunc", {kText, kIv}, kIv, TruncInterval));

  out.push_back(Fn("age", {kTs, kTs}, kIv, AgeTs));
  out.push_back(Fn("age", {kTsTz, kTsTz}, kIv, AgeTsTz));
  out.push_back(Fn("age", {kTs}, kIv, AgeFromToday));

  out.push_back(Fn("make_date", {kInt4, kInt4, kInt4}, kDate, MakeDate));
  out.push_back(Fn("make_time", {kInt4, kInt4, kF8}, kTime, MakeTime));
  out.push_back(Fn("make_timestamp", {kInt4, kInt4, kInt4, kInt4, kInt4, kF8}, kTs, MakeTimestamp));
  out.push_back(
      Fn("make_timestamptz", {kInt4, kInt4, kInt4, kInt4, kInt4, kF8}, kTsTz, MakeTimestampTz));
  out.push_back(Fn("make_interval", {}, kIv, MakeInterval));
  out.push_back(Fn("make_interval", {kInt4}, kIv, MakeInterval));
  out.push_back(Fn("make_interval", {kInt4, kInt4}, kIv, MakeInterval));
  out.push_back(Fn("make_interval", {kInt4, kInt4, kInt4}, kIv, MakeInterval));
  out.push_back(Fn("make_interval", {kInt4, kInt4, kInt4, kInt4}, kIv, MakeInterval));
  out.push_back(Fn("make_interval", {kInt4, kInt4, kInt4, kInt4, kInt4}, kIv, MakeInterval));
  out.push_back(Fn("make_interval", {kInt4, kInt4, kInt4, kInt4, kInt4, kInt4}, kIv, MakeInterval));
  out.push_back(
      Fn("make_interval", {kInt4, kInt4, kInt4, kInt4, kInt4, kInt4, kF8}, kIv, MakeInterval));
  out.push_back(Fn("to_timestamp", {kF8}, kTsTz, ToTimestamp));
  out.push_back(Fn("to_timestamp", {kText, kText}, kTsTz, ToTimestampFormat));
  out.push_back(Fn("to_date", {kText, kText}, kDate, ToDate));

  out.push_back(Fn("justify_days", {kIv}, kIv, Justify<interval::JustifyDays>));
  out.push_back(Fn("justify_hours", {kIv}, kIv, Justify<interval::JustifyHours>));
  out.push_back(Fn("justify_interval", {kIv}, kIv, Justify<interval::JustifyInterval>));
  out.push_back(Fn("isfinite", {kDate}, TypeId::kBool, IsFiniteDate));
  out.push_back(Fn("isfinite", {kTs}, TypeId::kBool, IsFiniteTs));
  out.push_back(Fn("isfinite", {kTsTz}, TypeId::kBool, IsFiniteTs));
  out.push_back(Fn("isfinite", {kIv}, TypeId::kBool, IsFiniteInterval));

  out.push_back(Fn("to_char", {kTs, kText}, kText, ToCharTs));
  out.push_back(Fn("to_char", {kTsTz, kText}, kText, ToCharTsTz));
  out.push_back(Fn("to_char", {kIv, kText}, kText, ToCharInterval));

  out.push_back(Fn("overlaps", {kTsTz, kTsTz, kTsTz, kTsTz}, TypeId::kBool, Overlaps));
  out.push_back(Fn("overlaps", {kTs, kTs, kTs, kTs}, TypeId::kBool, Overlaps));
  out.push_back(Fn("overlaps", {kTime, kTime, kTime, kTime}, TypeId::kBool, Overlaps));

  out.push_back(Fn("timezone", {kText, kTsTz}, kTs, AtZoneFromTsTz));
  out.push_back(Fn("timezone", {kText, kTs}, kTsTz, AtZoneFromTs));
  out.push_back(Fn("timezone", {kIv, kTsTz}, kTs, AtIntervalFromTsTz));
  out.push_back(Fn("timezone", {kIv, kTs}, kTsTz, AtIntervalFromTs));
}

}  // namespace sqlrite::engine::functions
