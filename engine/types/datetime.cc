#include "engine/types/datetime.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include "common/sqlstate.h"
#include "engine/datetime_context.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine::datetime {
namespace {

constexpr int64_t kUsecPerMinute = interval::kUsecPerMinute;
constexpr int64_t kUsecPerHour = interval::kUsecPerHour;
constexpr int64_t kPostgresEpochUnix = 946684800;
// PostgreSQL's range: dates from 4714-11-24 BC (julian day 0) to 5874897-12-31, timestamps from
// 4714-11-24 BC to 294276-12-31 23:59:59.999999.
constexpr int64_t kMinTimestamp = -211813488000000000;
constexpr int64_t kEndTimestamp = 9223371331200000000;
constexpr int64_t kDateEndJulian = 2147483494;  // 5874898-01-01

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// PostgreSQL's IS_VALID_JULIAN: the calendar fields a date may have.
bool ValidJulianFields(int y, int m) {
  return (y > -4713 || (y == -4713 && m >= 11)) && y < 5874898;
}

tl::unexpected<Error> BadSyntax(std::string_view type, std::string_view text) {
  return Fail(
      sqlstate::kInvalidDatetimeFormat,
      "invalid input syntax for type " + std::string(type) + ": \"" + std::string(text) + "\"");
}
tl::unexpected<Error> FieldOverflow(std::string_view text) {
  return Fail(sqlstate::kDatetimeFieldOverflow,
              "date/time field value out of range: \"" + std::string(text) + "\"");
}
tl::unexpected<Error> TimestampOutOfRange() {
  return Fail(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
}
tl::unexpected<Error> DateOutOfRange() {
  return Fail(sqlstate::kDatetimeFieldOverflow, "date out of range");
}

enum class Special {
  kNone,
  kEpoch,
  kInfinity,
  kNegInfinity,
  kNow,
  kToday,
  kTomorrow,
  kYesterday,
  kAllballs
};

// What a date/time string says, before it becomes a value of one type.
struct Decoded {
  bool year_set = false, month_set = false, day_set = false;
  int year = 0, month = 0, day = 0;
  int year_digits = 0;
  bool time_set = false;
  int hour = 0, minute = 0, second = 0;
  int64_t usec = 0;
  int ampm = 0;  // 1 am, 2 pm
  bool bc = false;
  std::optional<int32_t> offset;  // east of UTC, seconds
  std::shared_ptr<const tz::TimeZone> zone;
  Special special = Special::kNone;
  int fields = 0;  // tokens seen
};

enum class DecodeError { kNone, kSyntax, kOverflow, kZone };

struct DecodeResult {
  DecodeError error = DecodeError::kNone;
  std::string zone_name;  // kZone: the name not recognized
};

int MonthNumber(std::string_view w) {
  static constexpr std::string_view kMonths[][2] = {
      {"jan", "january"},   {"feb", "february"}, {"mar", "march"},    {"apr", "april"},
      {"may", "may"},       {"jun", "june"},     {"jul", "july"},     {"aug", "august"},
      {"sep", "september"}, {"oct", "october"},  {"nov", "november"}, {"dec", "december"}};
  for (int m = 0; m < 12; ++m) {
    if (w == kMonths[m][0] || w == kMonths[m][1]) return m + 1;
  }
  if (w == "sept") return 9;
  return 0;
}

bool IsDayName(std::string_view w) {
  static constexpr std::string_view kDays[] = {
      "sun", "sunday", "mon",   "monday",   "tue", "tues",   "tuesday", "wed",     "wednesday",
      "thu", "thur",   "thurs", "thursday", "fri", "friday", "sat",     "saturday"};
  for (std::string_view d : kDays) {
    if (w == d) return true;
  }
  return false;
}

// The zone abbreviations of PostgreSQL's default set that people write most.
std::optional<int32_t> AbbreviationOffset(std::string_view w) {
  struct Entry {
    std::string_view name;
    int32_t hours_x100;
  };
  static constexpr Entry kAbbrevs[] = {
      {"pst", -800},  {"pdt", -700}, {"mst", -700},  {"mdt", -600},  {"cst", -600},  {"cdt", -500},
      {"est", -500},  {"edt", -400}, {"ast", -400},  {"adt", -300},  {"akst", -900}, {"akdt", -800},
      {"hst", -1000}, {"nst", -350}, {"ndt", -250},  {"wet", 0},     {"west", 100},  {"bst", 100},
      {"cet", 100},   {"cest", 200}, {"met", 100},   {"mest", 200},  {"eet", 200},   {"eest", 300},
      {"msk", 300},   {"ist", 200},  {"jst", 900},   {"kst", 900},   {"hkt", 800},   {"sgt", 800},
      {"awst", 800},  {"acst", 950}, {"acdt", 1050}, {"aest", 1000}, {"aedt", 1100}, {"nzst", 1200},
      {"nzdt", 1300},
  };
  for (const Entry& e : kAbbrevs) {
    if (e.name == w) {
      const int32_t h = e.hours_x100 / 100;
      const int32_t frac = e.hours_x100 % 100;  // 50 = half an hour
      return h * 3600 + frac * 36;
    }
  }
  return std::nullopt;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    v = v * 10 + (c - '0');
    if (v > 100000000) return 100000000;
  }
  return v;
}

bool SetYear(Decoded& d, std::string_view digits) {
  if (d.year_set) return false;
  d.year = ToInt(digits);
  d.year_digits = static_cast<int>(digits.size());
  d.year_set = true;
  return true;
}
bool SetMonth(Decoded& d, int m) {
  if (d.month_set) return false;
  d.month = m;
  d.month_set = true;
  return true;
}
bool SetDay(Decoded& d, int v) {
  if (d.day_set) return false;
  d.day = v;
  d.day_set = true;
  return true;
}

// "2024-02-29", "01/15/2024", "15-jan-2024", "2024.01.15".
DecodeError DecodeDateToken(Decoded& d, std::string_view token) {
  std::vector<std::string_view> parts;
  size_t from = 0;
  for (size_t i = 0; i <= token.size(); ++i) {
    if (i == token.size() || token[i] == '-' || token[i] == '/' || token[i] == '.') {
      parts.push_back(token.substr(from, i - from));
      from = i + 1;
    }
  }
  if (parts.size() != 3) return DecodeError::kSyntax;
  int alpha = -1;
  for (int k = 0; k < 3; ++k) {
    if (parts[static_cast<size_t>(k)].empty()) return DecodeError::kSyntax;
    if (!AllDigits(parts[static_cast<size_t>(k)])) {
      if (alpha >= 0) return DecodeError::kSyntax;
      alpha = k;
    }
  }
  if (alpha >= 0) {
    const int m = MonthNumber(parts[static_cast<size_t>(alpha)]);
    if (m == 0 || !SetMonth(d, m)) return DecodeError::kSyntax;
    std::vector<std::string_view> nums;
    for (int k = 0; k < 3; ++k) {
      if (k != alpha) nums.push_back(parts[static_cast<size_t>(k)]);
    }
    if (nums[0].size() >= 3) {
      if (!SetYear(d, nums[0]) || !SetDay(d, ToInt(nums[1]))) return DecodeError::kSyntax;
    } else {
      if (!SetDay(d, ToInt(nums[0])) || !SetYear(d, nums[1])) return DecodeError::kSyntax;
    }
    return DecodeError::kNone;
  }
  if (parts[0].size() >= 3) {
    if (!SetYear(d, parts[0]) || !SetMonth(d, ToInt(parts[1])) || !SetDay(d, ToInt(parts[2]))) {
      return DecodeError::kSyntax;
    }
  } else {  // DateStyle MDY
    if (!SetMonth(d, ToInt(parts[0])) || !SetDay(d, ToInt(parts[1])) || !SetYear(d, parts[2])) {
      return DecodeError::kSyntax;
    }
  }
  return DecodeError::kNone;
}

// "13:45:30.5", "1:2:3", "12:00".
DecodeError DecodeTimeToken(Decoded& d, std::string_view token) {
  if (d.time_set) return DecodeError::kSyntax;
  std::vector<std::string_view> parts;
  size_t from = 0;
  for (size_t i = 0; i <= token.size(); ++i) {
    if (i == token.size() || token[i] == ':') {
      parts.push_back(token.substr(from, i - from));
      from = i + 1;
    }
  }
  if (parts.size() < 2 || parts.size() > 3) return DecodeError::kSyntax;
  if (!AllDigits(parts[0]) || !AllDigits(parts[1])) return DecodeError::kSyntax;
  d.hour = ToInt(parts[0]);
  d.minute = ToInt(parts[1]);
  if (parts.size() == 3) {
    std::string_view sec = parts[2];
    const size_t dot = sec.find('.');
    std::string_view whole = sec.substr(0, dot);
    if (!AllDigits(whole)) return DecodeError::kSyntax;
    d.second = ToInt(whole);
    if (dot != std::string_view::npos) {
      std::string_view frac = sec.substr(dot + 1);
      if (!frac.empty() && !AllDigits(frac)) return DecodeError::kSyntax;
      const std::string f = "0." + std::string(frac) + "0";
      d.usec = static_cast<int64_t>(std::rint(std::strtod(f.c_str(), nullptr) * 1e6));
    }
  }
  d.time_set = true;
  if (d.minute > 59 || d.second > 60 || d.hour > 24 ||
      (d.hour == 24 && (d.minute > 0 || d.second > 0 || d.usec > 0))) {
    return DecodeError::kOverflow;
  }
  return DecodeError::kNone;
}

// "+02", "-0530", "+05:30", "+05:30:15": east of UTC.
DecodeError DecodeOffsetToken(Decoded& d, std::string_view token) {
  if (d.offset) return DecodeError::kSyntax;
  const int sign = token[0] == '-' ? -1 : 1;
  token.remove_prefix(1);
  int h = 0, m = 0, s = 0;
  if (token.find(':') != std::string_view::npos) {
    std::vector<std::string_view> parts;
    size_t from = 0;
    for (size_t i = 0; i <= token.size(); ++i) {
      if (i == token.size() || token[i] == ':') {
        parts.push_back(token.substr(from, i - from));
        from = i + 1;
      }
    }
    if (parts.size() > 3) return DecodeError::kSyntax;
    for (auto p : parts) {
      if (!AllDigits(p)) return DecodeError::kSyntax;
    }
    h = ToInt(parts[0]);
    m = ToInt(parts[1]);
    if (parts.size() == 3) s = ToInt(parts[2]);
  } else {
    if (!AllDigits(token)) return DecodeError::kSyntax;
    if (token.size() <= 2) {
      h = ToInt(token);
    } else if (token.size() == 4) {
      h = ToInt(token.substr(0, 2));
      m = ToInt(token.substr(2));
    } else if (token.size() == 6) {
      h = ToInt(token.substr(0, 2));
      m = ToInt(token.substr(2, 2));
      s = ToInt(token.substr(4));
    } else {
      return DecodeError::kSyntax;
    }
  }
  if (h > 15 || m > 59 || s > 59) return DecodeError::kOverflow;
  d.offset = sign * (h * 3600 + m * 60 + s);
  return DecodeError::kNone;
}

DecodeError DecodeWord(Decoded& d, std::string_view w, std::string_view original,
                       DecodeResult* result) {
  if (w == "t") return DecodeError::kNone;  // ISO 8601's date/time separator, spaced
  if (const int m = MonthNumber(w); m != 0) {
    return SetMonth(d, m) ? DecodeError::kNone : DecodeError::kSyntax;
  }
  if (IsDayName(w)) return DecodeError::kNone;
  if (w == "am" || w == "a.m." || w == "pm" || w == "p.m.") {
    if (d.ampm != 0) return DecodeError::kSyntax;
    d.ampm = w[0] == 'a' ? 1 : 2;
    return DecodeError::kNone;
  }
  if (w == "bc" || w == "ad") {
    d.bc = w == "bc";
    return DecodeError::kNone;
  }
  struct SpecialWord {
    std::string_view word;
    Special special;
  };
  static constexpr SpecialWord kSpecials[] = {
      {"epoch", Special::kEpoch},
      {"infinity", Special::kInfinity},
      {"+infinity", Special::kInfinity},
      {"-infinity", Special::kNegInfinity},
      {"now", Special::kNow},
      {"today", Special::kToday},
      {"tomorrow", Special::kTomorrow},
      {"yesterday", Special::kYesterday},
      {"allballs", Special::kAllballs},
  };
  for (const SpecialWord& s : kSpecials) {
    if (w == s.word) {
      if (d.special != Special::kNone) return DecodeError::kSyntax;
      d.special = s.special;
      if (s.special == Special::kAllballs) {  // 00:00:00 UTC
        d.time_set = true;
        d.offset = 0;
      }
      return DecodeError::kNone;
    }
  }
  if (w == "z" || w == "zulu" || w == "utc" || w == "gmt" || w == "ut") {
    if (d.offset || d.zone) return DecodeError::kSyntax;
    d.offset = 0;
    return DecodeError::kNone;
  }
  if (auto off = AbbreviationOffset(w)) {
    if (d.offset || d.zone) return DecodeError::kSyntax;
    d.offset = *off;
    return DecodeError::kNone;
  }
  if (!d.offset && !d.zone) {
    if (auto zone = tz::Find(original)) {
      d.zone = std::move(zone);
      return DecodeError::kNone;
    }
  }
  if (w.find('/') != std::string_view::npos) {
    result->zone_name = std::string(original);
    return DecodeError::kZone;
  }
  return DecodeError::kSyntax;
}

// Splits text into fields and reads each, PostgreSQL's ParseDateTime and DecodeDateTime cut
// down to the forms they commonly meet.
DecodeResult Decode(std::string_view text, Decoded& d) {
  DecodeResult result;
  std::string s;
  s.reserve(text.size());
  for (char c : text) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::vector<std::string_view> loose;  // numbers standing alone, assigned at the end
  auto fail = [&result](DecodeError e) {
    result.error = e;
    return result;
  };
  size_t i = 0;
  const size_t n = s.size();
  const std::string_view sv(s);
  while (i < n) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      ++i;
      continue;
    }
    ++d.fields;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j < n && s[j] == ':') {
        while (j < n &&
               (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == ':' || s[j] == '.')) {
          ++j;
        }
        if (DecodeError e = DecodeTimeToken(d, sv.substr(i, j - i)); e != DecodeError::kNone) {
          return fail(e);
        }
        i = j;
        continue;
      }
      if (j < n && (s[j] == '-' || s[j] == '/' || s[j] == '.')) {
        size_t k = j;
        while (k < n && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '-' ||
                         s[k] == '/' || s[k] == '.')) {
          // ISO 8601: a 't' between the date's digits and the time's ends the date.
          if (s[k] == 't' && k + 1 < n && std::isdigit(static_cast<unsigned char>(s[k + 1])) &&
              std::isdigit(static_cast<unsigned char>(s[k - 1]))) {
            break;
          }
          ++k;
        }
        if (DecodeError e = DecodeDateToken(d, sv.substr(i, k - i)); e != DecodeError::kNone) {
          return fail(e);
        }
        i = k < n && s[k] == 't' ? k + 1 : k;
        continue;
      }
      const std::string_view digits = sv.substr(i, j - i);
      if (j < n && s[j] == 't' && j + 1 < n && std::isdigit(static_cast<unsigned char>(s[j + 1]))) {
        ++j;  // 20240115T12:00
      }
      if (digits.size() == 8 && !d.year_set && !d.month_set && !d.day_set) {
        SetYear(d, digits.substr(0, 4));
        SetMonth(d, ToInt(digits.substr(4, 2)));
        SetDay(d, ToInt(digits.substr(6, 2)));
      } else {
        loose.push_back(digits);
      }
      i = j;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) ||
        ((c == '+' || c == '-') && i + 1 < n &&
         std::isalpha(static_cast<unsigned char>(s[i + 1])))) {
      size_t j = i + 1;
      const bool signed_word = c == '+' || c == '-';
      while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '/' ||
                       s[j] == '_' || s[j] == '.' ||
                       (!signed_word && (s[j] == '+' || s[j] == '-') &&
                        sv.substr(i, j - i).find('/') != std::string_view::npos))) {
        ++j;
      }
      // "a.m." keeps its dots; any other word ends before one.
      std::string_view word = sv.substr(i, j - i);
      if (word.find('.') != std::string_view::npos && word != "a.m." && word != "p.m.") {
        j = i + word.find('.');
        word = sv.substr(i, j - i);
      }
      if (DecodeError e = DecodeWord(d, word, text.substr(i, j - i), &result);
          e != DecodeError::kNone) {
        return fail(e);
      }
      i = j;
      continue;
    }
    if ((c == '+' || c == '-') && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      size_t j = i + 1;
      while (j < n && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == ':')) ++j;
      if (DecodeError e = DecodeOffsetToken(d, sv.substr(i, j - i)); e != DecodeError::kNone) {
        return fail(e);
      }
      i = j;
      continue;
    }
    return fail(DecodeError::kSyntax);
  }
  for (std::string_view num : loose) {
    const int v = ToInt(num);
    if (d.month_set) {
      if (!d.year_set && (num.size() >= 3 || v > 31 || d.day_set)) {
        SetYear(d, num);
      } else if (!d.day_set) {
        SetDay(d, v);
      } else {
        return fail(DecodeError::kSyntax);
      }
    } else if (num.size() >= 3 && !d.year_set) {
      SetYear(d, num);
    } else if (!d.month_set) {
      SetMonth(d, v);
    } else {
      return fail(DecodeError::kSyntax);
    }
  }
  if (d.year_set && d.year_digits <= 2 && !d.bc) d.year += d.year < 70 ? 2000 : 1900;
  if (d.bc) {
    if (!d.year_set || d.year <= 0) return fail(DecodeError::kOverflow);
    d.year = 1 - d.year;
  }
  if (d.ampm != 0) {
    if (d.hour > 12 || d.hour < 1) return fail(DecodeError::kOverflow);
    if (d.ampm == 1 && d.hour == 12) d.hour = 0;
    if (d.ampm == 2 && d.hour != 12) d.hour += 12;
  }
  if (d.year_set && d.year == 0 && !d.bc) return fail(DecodeError::kOverflow);
  return result;
}

Error DecodeFailure(const DecodeResult& r, std::string_view type, std::string_view text) {
  switch (r.error) {
    case DecodeError::kOverflow:
      return FieldOverflow(text).value();
    case DecodeError::kZone:
      return Error(sqlstate::kInvalidParameterValue,
                   "time zone \"" + r.zone_name + "\" not recognized");
    default:
      return BadSyntax(type, text).value();
  }
}

bool HasFullDate(const Decoded& d) { return d.year_set && d.month_set && d.day_set; }

// The day of the decoded date, checked: 22008 for fields out of range.
Result<int64_t> DecodedDays(const Decoded& d, std::string_view text,
                            std::string_view range_message) {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return FieldOverflow(text);
  }
  if (!ValidJulianFields(d.year, d.month)) {
    return Fail(sqlstate::kDatetimeFieldOverflow,
                std::string(range_message) + ": \"" + std::string(text) + "\"");
  }
  return int64_t{DateToJulian(d.year, d.month, d.day)} - kPostgresEpochJdate;
}

int64_t DecodedTime(const Decoded& d) {
  return d.hour * kUsecPerHour + d.minute * kUsecPerMinute + d.second * kUsecPerSec + d.usec;
}

// The session's wall clock now (a timestamp) and today's midnight.
int64_t LocalNow() {
  const DateTimeContext& ctx = CurrentDateTime();
  return UtcToLocal(ctx.transaction_start, *ctx.zone);
}

// A timestamp for a decoded string: its wall-clock reading (before any zone is applied), or an
// infinity. is_local: the value must still be converted from the zone (false for specials that
// name an instant, such as 'now' for timestamptz).
struct Reading {
  int64_t value = 0;
  bool is_instant = false;  // already UTC (timestamptz 'now', 'epoch')
};

Result<Reading> ReadTimestamp(std::string_view text, std::string_view type, bool with_zone) {
  Decoded d;
  const DecodeResult r = Decode(text, d);
  if (r.error != DecodeError::kNone) return Fail(DecodeFailure(r, type, text));
  if (d.special != Special::kNone) {
    if (d.fields != 1) return BadSyntax(type, text);
    const int64_t midnight = FloorDiv(LocalNow(), kUsecPerDay) * kUsecPerDay;
    switch (d.special) {
      case Special::kEpoch:
        return Reading{-kPostgresEpochUnix * kUsecPerSec, true};
      case Special::kInfinity:
        return Reading{kNoEnd, true};
      case Special::kNegInfinity:
        return Reading{kNoBegin, true};
      case Special::kNow:
        if (with_zone) return Reading{CurrentDateTime().transaction_start, true};
        return Reading{LocalNow(), false};
      case Special::kToday:
        return Reading{midnight, false};
      case Special::kTomorrow:
        return Reading{midnight + kUsecPerDay, false};
      case Special::kYesterday:
        return Reading{midnight - kUsecPerDay, false};
      default:
        return BadSyntax(type, text);
    }
  }
  if (!HasFullDate(d)) return BadSyntax(type, text);
  SQLRITE_ASSIGN_OR_RETURN(int64_t days, DecodedDays(d, text, "timestamp out of range"));
  const Int128 local = static_cast<Int128>(days) * kUsecPerDay + DecodedTime(d);
  if (local < kMinTimestamp || local >= kEndTimestamp) {
    return Fail(sqlstate::kDatetimeFieldOverflow,
                "timestamp out of range: \"" + std::string(text) + "\"");
  }
  Reading reading{static_cast<int64_t>(local), false};
  if (with_zone) {
    if (d.offset) {
      reading.value -= *d.offset * kUsecPerSec;
    } else {
      reading.value = LocalToUtc(reading.value, d.zone ? *d.zone : *CurrentDateTime().zone);
    }
    reading.is_instant = true;
    if (!TimestampInRange(reading.value)) {
      return Fail(sqlstate::kDatetimeFieldOverflow,
                  "timestamp out of range: \"" + std::string(text) + "\"");
    }
  }
  return reading;
}

void AppendTwo(std::string& out, int64_t v) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void AppendYmd(std::string& out, int y, int m, int d) {
  char buf[32];
  const int shown = y > 0 ? y : 1 - y;
  const int n = std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", shown, m, d);
  out.append(buf, static_cast<size_t>(n));
}

// hh:mm:ss[.ffffff without trailing zeros].
void AppendClock(std::string& out, int64_t usecs) {
  const int64_t hours = usecs / kUsecPerHour;
  if (hours >= 100) {
    out += std::to_string(hours);
  } else {
    AppendTwo(out, hours);
  }
  out.push_back(':');
  AppendTwo(out, usecs / kUsecPerMinute % 60);
  out.push_back(':');
  AppendTwo(out, usecs / kUsecPerSec % 60);
  int64_t frac = usecs % kUsecPerSec;
  if (frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), ".%06lld", static_cast<long long>(frac));
    std::string_view f(buf);
    while (f.back() == '0') f.remove_suffix(1);
    out.append(f);
  }
}

}  // namespace

int DateToJulian(int y, int m, int d) {
  int64_t year = y, month = m;
  if (month > 2) {
    month += 1;
    year += 4800;
  } else {
    month += 13;
    year += 4799;
  }
  const int64_t century = year / 100;
  int64_t julian = year * 365 - 32167;
  julian += year / 4 - century + century / 4;
  julian += 7834 * month / 256 + d;
  return static_cast<int>(julian);
}

void JulianToDate(int jd, int* year, int* month, int* day) {
  uint64_t julian = static_cast<uint64_t>(static_cast<uint32_t>(jd)) + 32044;
  uint64_t quad = julian / 146097;
  const uint64_t extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + extra / 146097;
  quad = julian / 1461;
  julian -= quad * 1461;
  int64_t y = static_cast<int64_t>(julian * 4 / 1461);
  julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
  y += static_cast<int64_t>(quad * 4);
  *year = static_cast<int>(y - 4800);
  quad = julian * 2141 / 65536;
  *day = static_cast<int>(julian - 7834 * quad / 256);
  *month = static_cast<int>((quad + 10) % 12 + 1);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
}

Fields SplitTimestamp(int64_t ts) {
  Fields f;
  const int64_t days = FloorDiv(ts, kUsecPerDay);
  int64_t time = ts - days * kUsecPerDay;
  JulianToDate(static_cast<int>(days + kPostgresEpochJdate), &f.year, &f.month, &f.day);
  f.hour = static_cast<int>(time / kUsecPerHour);
  time -= f.hour * kUsecPerHour;
  f.minute = static_cast<int>(time / kUsecPerMinute);
  time -= f.minute * kUsecPerMinute;
  f.second = static_cast<int>(time / kUsecPerSec);
  f.usec = time - f.second * kUsecPerSec;
  return f;
}

Result<int64_t> JoinTimestamp(const Fields& f, std::string_view message) {
  if (!ValidJulianFields(f.year, f.month)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, std::string(message));
  }
  const Int128 days = int64_t{DateToJulian(f.year, f.month, f.day)} - kPostgresEpochJdate;
  const Int128 ts = days * kUsecPerDay + f.hour * kUsecPerHour + f.minute * kUsecPerMinute +
                    f.second * kUsecPerSec + f.usec;
  if (ts < kMinTimestamp || ts >= kEndTimestamp) {
    return Fail(sqlstate::kDatetimeFieldOverflow, std::string(message));
  }
  return static_cast<int64_t>(ts);
}

bool DateInRange(int64_t days) {
  return days >= -kPostgresEpochJdate && days < kDateEndJulian - kPostgresEpochJdate;
}
bool TimestampInRange(int64_t ts) { return ts >= kMinTimestamp && ts < kEndTimestamp; }

int64_t UtcToLocal(int64_t utc, const tz::TimeZone& zone, int32_t* offset_east) {
  const int32_t offset = zone.OffsetAt(FloorDiv(utc, kUsecPerSec) + kPostgresEpochUnix);
  if (offset_east != nullptr) *offset_east = offset;
  return utc + offset * kUsecPerSec;
}

int64_t LocalToUtc(int64_t local, const tz::TimeZone& zone) {
  const int64_t local_seconds = FloorDiv(local, kUsecPerSec) + kPostgresEpochUnix;
  const int64_t offset = local_seconds - zone.LocalToUtc(local_seconds);
  return local - offset * kUsecPerSec;
}

Result<int64_t> ParseDate(std::string_view text) {
  Decoded d;
  const DecodeResult r = Decode(text, d);
  if (r.error != DecodeError::kNone) return Fail(DecodeFailure(r, "date", text));
  if (d.special != Special::kNone) {
    if (d.fields != 1) return BadSyntax("date", text);
    const int64_t today = FloorDiv(LocalNow(), kUsecPerDay);
    switch (d.special) {
      case Special::kEpoch:
        return -kPostgresEpochUnix / 86400;
      case Special::kInfinity:
        return kDateNoEnd;
      case Special::kNegInfinity:
        return kDateNoBegin;
      case Special::kNow:
      case Special::kToday:
        return today;
      case Special::kTomorrow:
        return today + 1;
      case Special::kYesterday:
        return today - 1;
      default:
        return BadSyntax("date", text);
    }
  }
  if (!HasFullDate(d)) return BadSyntax("date", text);
  SQLRITE_ASSIGN_OR_RETURN(int64_t days, DecodedDays(d, text, "date out of range"));
  if (!DateInRange(days)) {
    return Fail(sqlstate::kDatetimeFieldOverflow,
                "date out of range: \"" + std::string(text) + "\"");
  }
  return days;
}

Result<int64_t> ParseTime(std::string_view text) {
  Decoded d;
  const DecodeResult r = Decode(text, d);
  if (r.error != DecodeError::kNone) {
    return Fail(DecodeFailure(r, "time without time zone", text));
  }
  if (d.special == Special::kNow) {
    if (d.fields != 1) return BadSyntax("time without time zone", text);
    const int64_t local = LocalNow();
    return local - FloorDiv(local, kUsecPerDay) * kUsecPerDay;
  }
  if (d.special == Special::kAllballs) {
    if (d.fields != 1) return BadSyntax("time without time zone", text);
    return int64_t{0};
  }
  if (d.special != Special::kNone || !d.time_set) {
    return BadSyntax("time without time zone", text);
  }
  if (d.year_set || d.month_set || d.day_set) {
    if (!HasFullDate(d)) return BadSyntax("time without time zone", text);
    SQLRITE_TRY(DecodedDays(d, text, "date out of range"));
  }
  return DecodedTime(d);
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  SQLRITE_ASSIGN_OR_RETURN(Reading r, ReadTimestamp(text, "timestamp", false));
  return r.value;
}

Result<int64_t> ParseTimestampTz(std::string_view text) {
  SQLRITE_ASSIGN_OR_RETURN(Reading r, ReadTimestamp(text, "timestamp with time zone", true));
  if (!r.is_instant) return LocalToUtc(r.value, *CurrentDateTime().zone);
  return r.value;
}

void AppendDate(std::string& out, int64_t days) {
  if (days == kDateNoEnd) {
    out += "infinity";
    return;
  }
  if (days == kDateNoBegin) {
    out += "-infinity";
    return;
  }
  int y = 0, m = 0, d = 0;
  JulianToDate(static_cast<int>(days + kPostgresEpochJdate), &y, &m, &d);
  AppendYmd(out, y, m, d);
  if (y <= 0) out += " BC";
}

void AppendTime(std::string& out, int64_t usecs) { AppendClock(out, usecs); }

void AppendOffset(std::string& out, int32_t offset_east) {
  out.push_back(offset_east < 0 ? '-' : '+');
  const int32_t a = offset_east < 0 ? -offset_east : offset_east;
  AppendTwo(out, a / 3600);
  if (a % 3600 != 0) {
    out.push_back(':');
    AppendTwo(out, a / 60 % 60);
    if (a % 60 != 0) {
      out.push_back(':');
      AppendTwo(out, a % 60);
    }
  }
}

namespace {
void AppendTimestampWithOffset(std::string& out, int64_t ts, const int32_t* offset) {
  if (ts == kNoEnd) {
    out += "infinity";
    return;
  }
  if (ts == kNoBegin) {
    out += "-infinity";
    return;
  }
  const Fields f = SplitTimestamp(ts);
  AppendYmd(out, f.year, f.month, f.day);
  out.push_back(' ');
  AppendClock(out,
              f.hour * kUsecPerHour + f.minute * kUsecPerMinute + f.second * kUsecPerSec + f.usec);
  if (offset != nullptr) AppendOffset(out, *offset);
  if (f.year <= 0) out += " BC";
}
}  // namespace

void AppendTimestamp(std::string& out, int64_t ts) { AppendTimestampWithOffset(out, ts, nullptr); }

void AppendTimestampTz(std::string& out, int64_t ts) {
  if (!IsFiniteTimestamp(ts)) {
    AppendTimestampWithOffset(out, ts, nullptr);
    return;
  }
  int32_t offset = 0;
  const int64_t local = UtcToLocal(ts, *CurrentDateTime().zone, &offset);
  AppendTimestampWithOffset(out, local, &offset);
}

Result<int64_t> DateToTimestamp(int64_t days) {
  if (days == kDateNoEnd) return kNoEnd;
  if (days == kDateNoBegin) return kNoBegin;
  const Int128 ts = static_cast<Int128>(days) * kUsecPerDay;
  if (ts < kMinTimestamp || ts >= kEndTimestamp) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "date out of range for timestamp");
  }
  return static_cast<int64_t>(ts);
}

Result<int64_t> DateToTimestampTz(int64_t days) {
  SQLRITE_ASSIGN_OR_RETURN(int64_t local, DateToTimestamp(days));
  if (!IsFiniteTimestamp(local)) return local;
  const int64_t utc = LocalToUtc(local, *CurrentDateTime().zone);
  if (!TimestampInRange(utc)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "date out of range for timestamp");
  }
  return utc;
}

Result<int64_t> TimestampToDate(int64_t ts) {
  if (ts == kNoEnd) return kDateNoEnd;
  if (ts == kNoBegin) return kDateNoBegin;
  return FloorDiv(ts, kUsecPerDay);
}

Result<int64_t> TimestampTzToDate(int64_t ts) {
  if (!IsFiniteTimestamp(ts)) return TimestampToDate(ts);
  return TimestampToDate(UtcToLocal(ts, *CurrentDateTime().zone));
}

Result<int64_t> TimestampToTimestampTz(int64_t ts) {
  if (!IsFiniteTimestamp(ts)) return ts;
  const int64_t utc = LocalToUtc(ts, *CurrentDateTime().zone);
  if (!TimestampInRange(utc)) return TimestampOutOfRange();
  return utc;
}

Result<int64_t> TimestampTzToTimestamp(int64_t ts) {
  if (!IsFiniteTimestamp(ts)) return ts;
  const int64_t local = UtcToLocal(ts, *CurrentDateTime().zone);
  if (!TimestampInRange(local)) return TimestampOutOfRange();
  return local;
}

int64_t TimestampToTime(int64_t ts) { return ts - FloorDiv(ts, kUsecPerDay) * kUsecPerDay; }

int64_t TimestampTzToTime(int64_t ts) {
  return TimestampToTime(UtcToLocal(ts, *CurrentDateTime().zone));
}

Result<int64_t> AddInterval(int64_t ts, const Interval& span, bool with_zone) {
  if (!IsFiniteTimestamp(ts)) return ts;
  const tz::TimeZone& zone = *CurrentDateTime().zone;
  if (span.month != 0 || span.day != 0) {
    int64_t local = with_zone ? UtcToLocal(ts, zone) : ts;
    Fields f = SplitTimestamp(local);
    if (span.month != 0) {
      int64_t month = int64_t{f.month} + span.month;
      int64_t year = f.year;
      if (month > 12) {
        year += (month - 1) / 12;
        month = (month - 1) % 12 + 1;
      } else if (month < 1) {
        year += month / 12 - 1;
        month = month % 12 + 12;
      }
      if (year < -5000000 || year > 6000000) return TimestampOutOfRange();
      f.year = static_cast<int>(year);
      f.month = static_cast<int>(month);
      const int last = DaysInMonth(f.year, f.month);
      if (f.day > last) f.day = last;
    }
    if (span.day != 0) {
      const int64_t julian = int64_t{DateToJulian(f.year, f.month, f.day)} + span.day;
      if (julian < 0 || julian > kDateEndJulian) return TimestampOutOfRange();
      JulianToDate(static_cast<int>(julian), &f.year, &f.month, &f.day);
    }
    SQLRITE_ASSIGN_OR_RETURN(local, JoinTimestamp(f));
    ts = with_zone ? LocalToUtc(local, zone) : local;
  }
  int64_t r = 0;
  if (__builtin_add_overflow(ts, span.time, &r) || !TimestampInRange(r)) {
    return TimestampOutOfRange();
  }
  return r;
}

Result<int64_t> AddDays(int64_t days, int64_t n) {
  if (!IsFiniteDate(days)) return days;
  const int64_t r = days + n;
  if (!DateInRange(r)) return DateOutOfRange();
  return r;
}

Result<Interval> Difference(int64_t a, int64_t b) {
  if (!IsFiniteTimestamp(a) || !IsFiniteTimestamp(b)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  Interval r;
  if (__builtin_sub_overflow(a, b, &r.time)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  }
  return interval::JustifyHours(r);
}

int64_t TimeAddInterval(int64_t time, const Interval& span) {
  int64_t r = time + span.time % kUsecPerDay;
  r -= r / kUsecPerDay * kUsecPerDay;
  if (r < 0) r += kUsecPerDay;
  return r;
}

Result<Interval> Age(int64_t a, int64_t b, bool with_zone) {
  if (!IsFiniteTimestamp(a) || !IsFiniteTimestamp(b)) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  const tz::TimeZone& zone = *CurrentDateTime().zone;
  const Fields f1 = SplitTimestamp(with_zone ? UtcToLocal(a, zone) : a);
  const Fields f2 = SplitTimestamp(with_zone ? UtcToLocal(b, zone) : b);
  int64_t usec = f1.usec - f2.usec;
  int64_t sec = f1.second - f2.second;
  int64_t min = f1.minute - f2.minute;
  int64_t hour = f1.hour - f2.hour;
  int64_t mday = f1.day - f2.day;
  int64_t mon = f1.month - f2.month;
  int64_t year = int64_t{f1.year} - f2.year;
  const bool flip = a < b;
  auto negate = [&] {
    usec = -usec;
    sec = -sec;
    min = -min;
    hour = -hour;
    mday = -mday;
    mon = -mon;
    year = -year;
  };
  if (flip) negate();
  while (usec < 0) {
    usec += kUsecPerSec;
    sec--;
  }
  while (sec < 0) {
    sec += 60;
    min--;
  }
  while (min < 0) {
    min += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    mday--;
  }
  while (mday < 0) {
    const Fields& base = flip ? f1 : f2;
    mday += DaysInMonth(base.year, base.month);
    mon--;
  }
  while (mon < 0) {
    mon += 12;
    year--;
  }
  if (flip) negate();
  const int64_t months = year * 12 + mon;
  if (months > INT32_MAX || months < INT32_MIN) {
    return Fail(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  }
  Interval r;
  r.month = static_cast<int32_t>(months);
  r.day = static_cast<int32_t>(mday);
  r.time = ((hour * 60 + min) * 60 + sec) * kUsecPerSec + usec;
  return r;
}

}  // namespace sqlrite::engine::datetime
