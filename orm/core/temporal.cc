#include "orm/core/temporal.h"

#include <cstdio>
#include <cstdlib>

namespace sqlrite::orm {
namespace {

using std::chrono::days;
using std::chrono::microseconds;

constexpr std::string_view kInvalidDatetimeFormat = "22007";

// "YYYY-MM-DD" then, when `with_time`, " HH:MM:SS.ffffff" of the microseconds into the day.
std::string Format(days since_epoch, microseconds into_day, bool with_time) {
  std::chrono::year_month_day ymd{std::chrono::sys_days(since_epoch)};
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (!with_time) return out;
  long long us = into_day.count();
  n = std::snprintf(buf, sizeof buf, " %02lld:%02lld:%02lld.%06lld", us / 3'600'000'000LL,
                    us / 60'000'000LL % 60, us / 1'000'000LL % 60, us % 1'000'000LL);
  return out.append(buf, static_cast<std::size_t>(n));
}

// A cursor over the text being parsed.
struct Reader {
  std::string_view s;
  std::size_t i = 0;

  [[nodiscard]] bool Done() const { return i == s.size(); }
  [[nodiscard]] bool Peek(char c) const { return i < s.size() && s[i] == c; }
  bool Eat(char c) {
    if (!Peek(c)) return false;
    ++i;
    return true;
  }
  // Exactly `n` digits (n = 0: one or more).
  bool Digits(int n, long long* out) {
    std::size_t start = i;
    long long v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && (n == 0 || i - start < std::size_t(n))) {
      v = v * 10 + (s[i] - '0');
      ++i;
      if (v > 1'000'000'000LL) return false;
    }
    *out = v;
    return i > start && (n == 0 || i - start == std::size_t(n));
  }
};

tl::unexpected<Error> Invalid(std::string_view what, std::string_view text) {
  return Fail(kInvalidDatetimeFormat, "invalid input syntax for type " + std::string(what) +
                                          ": \"" + std::string(text) + "\"");
}

bool ReadDate(Reader& r, days* out) {
  long long y = 0, m = 0, d = 0;
  if (!r.Digits(0, &y) || !r.Eat('-') || !r.Digits(2, &m) || !r.Eat('-') || !r.Digits(2, &d)) {
    return false;
  }
  std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(y)),
                                  std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return false;
  *out = std::chrono::sys_days(ymd).time_since_epoch();
  return true;
}

// "HH:MM:SS[.fff...]" after a 'T' or a space.
bool ReadTimeOfDay(Reader& r, microseconds* out);
bool ReadTime(Reader& r, microseconds* out) {
  if (!r.Eat(' ') && !r.Eat('T')) return false;
  return ReadTimeOfDay(r, out);
}
// "HH:MM:SS[.fff...]" (at most 24:00:00).
bool ReadTimeOfDay(Reader& r, microseconds* out) {
  long long h = 0, m = 0, s = 0;
  if (!r.Digits(2, &h) || !r.Eat(':') || !r.Digits(2, &m) || !r.Eat(':') || !r.Digits(2, &s)) {
    return false;
  }
  if (h > 24 || m > 59 || s > 60 || (h == 24 && (m || s))) return false;
  long long us = 0;
  if (r.Eat('.')) {
    int digits = 0;
    while (!r.Done() && r.s[r.i] >= '0' && r.s[r.i] <= '9') {
      if (digits < 6) us = us * 10 + (r.s[r.i] - '0');
      ++digits;
      ++r.i;
    }
    if (digits == 0) return false;
    for (; digits < 6; ++digits) us *= 10;
  }
  *out = microseconds(((h * 60 + m) * 60 + s) * 1'000'000LL + us);
  return *out <= std::chrono::hours(24);
}

// Z, +HH, +HH:MM, +HHMM, +HH:MM:SS: the offset east of UTC.
bool ReadZone(Reader& r, microseconds* offset) {
  if (r.Eat('Z') || r.Eat('z')) {
    *offset = microseconds(0);
    return true;
  }
  int sign = r.Eat('+') ? 1 : r.Eat('-') ? -1 : 0;
  if (sign == 0) return false;
  long long h = 0, m = 0, s = 0;
  if (!r.Digits(2, &h)) return false;
  if (r.Eat(':')) {
    if (!r.Digits(2, &m)) return false;
    if (r.Eat(':') && !r.Digits(2, &s)) return false;
  } else if (!r.Done() && !r.Digits(2, &m)) {
    return false;
  }
  *offset = microseconds(sign * ((h * 60 + m) * 60 + s) * 1'000'000LL);
  return true;
}

}  // namespace

std::string FormatTimestamp(Timestamp t) {
  days d = std::chrono::floor<days>(t.time_since_epoch());
  return Format(d, t.time_since_epoch() - d, true) + "+00:00";
}

std::string FormatDate(Date d) {
  // From the fields as they are: a date that is not valid (Date{} is 0000-00-00) stays visibly
  // invalid, and PostgreSQL refuses it (22008) rather than storing some other day.
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                        static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return std::string(buf, static_cast<std::size_t>(n));
}

std::string FormatDateTime(DateTime t) {
  days d = std::chrono::floor<days>(t.time_since_epoch());
  return Format(d, t.time_since_epoch() - d, true);
}

std::string FormatTime(Time t) {
  // Outside 00:00:00-24:00:00 the text says so (a sign, more hour digits) and PostgreSQL refuses
  // it (22007/22008) instead of storing another time.
  long long us = t.since_midnight.count();
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%s%02lld:%02lld:%02lld.%06lld", us < 0 ? "-" : "",
                        std::llabs(us) / 3'600'000'000LL, std::llabs(us) / 60'000'000LL % 60,
                        std::llabs(us) / 1'000'000LL % 60, std::llabs(us) % 1'000'000LL);
  return std::string(buf, static_cast<std::size_t>(n));
}

Result<Timestamp> ParseTimestamp(std::string_view text) {
  Reader r{text};
  days d{};
  microseconds time{}, offset{};
  if (!ReadDate(r, &d) || !ReadTime(r, &time)) return Invalid("timestamp with time zone", text);
  if (!r.Done() && (!ReadZone(r, &offset) || !r.Done())) {
    return Invalid("timestamp with time zone", text);
  }
  return Timestamp(d + time - offset);
}

Result<Date> ParseDate(std::string_view text) {
  Reader r{text};
  days d{};
  if (!ReadDate(r, &d) || !r.Done()) return Invalid("date", text);
  return Date(std::chrono::sys_days(d));
}

Result<DateTime> ParseDateTime(std::string_view text) {
  Reader r{text};
  days d{};
  microseconds time{};
  if (!ReadDate(r, &d) || !ReadTime(r, &time) || !r.Done()) {
    return Invalid("timestamp without time zone", text);
  }
  return DateTime(d + time);
}

Result<Time> ParseTime(std::string_view text) {
  Reader r{text};
  microseconds time{};
  if (!ReadTimeOfDay(r, &time) || !r.Done()) return Invalid("time without time zone", text);
  return Time(time);
}

Timestamp NowTimestamp() {
  return std::chrono::floor<microseconds>(std::chrono::system_clock::now());
}

}  // namespace sqlrite::orm
