#include "engine/types/time_zone.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "common/bytes.h"
#include "common/sqlstate.h"

namespace sqlrite::engine::tz {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t YearOf(int64_t unix_seconds) {
  int64_t z =
      (unix_seconds >= 0 ? unix_seconds : unix_seconds - (kSecondsPerDay - 1)) / kSecondsPerDay +
      719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  return yoe + era * 400 + (m <= 2);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// The unix day of the w-th (5: last) weekday d (0 = Sunday) of month m of year y.
int64_t RuleDay(int64_t y, int m, int w, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int64_t first = DaysFromCivil(y, m, 1);
  const int64_t first_wday = ((first % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
  int64_t day = first + ((d - first_wday) + 7) % 7 + 7 * (w - 1);
  const int month_days = kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
  while (day >= first + month_days) day -= 7;
  return day;
}

// [+-]hh[:mm[:ss]] at s[i...], as seconds; advances i.
bool ReadPosixOffset(std::string_view s, size_t& i, int32_t* seconds) {
  int sign = 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
  int parts[3] = {0, 0, 0};
  for (int p = 0; p < 3; ++p) {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      parts[p] = parts[p] * 10 + (s[i] - '0');
      if (parts[p] > 200) return false;
      ++i;
    }
    if (i == start) return false;
    if (p == 2 || i >= s.size() || s[i] != ':') break;
    ++i;
  }
  *seconds = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

bool ReadAbbrev(std::string_view s, size_t& i, std::string* out) {
  if (i < s.size() && s[i] == '<') {
    const size_t close = s.find('>', i);
    if (close == std::string_view::npos) return false;
    *out = std::string(s.substr(i + 1, close - i - 1));
    i = close + 1;
    return !out->empty();
  }
  const size_t start = i;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  *out = std::string(s.substr(start, i - start));
  return i - start >= 3;
}

// ",Mm.w.d[/time]" at s[i...].
bool ReadRuleDate(std::string_view s, size_t& i, int* month, int* week, int* day, int* time) {
  if (i >= s.size() || s[i] != 'M') return false;
  ++i;
  int* fields[3] = {month, week, day};
  for (int f = 0; f < 3; ++f) {
    size_t start = i;
    int v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      v = v * 10 + (s[i++] - '0');
    if (i == start) return false;
    *fields[f] = v;
    if (f < 2) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  if (*month < 1 || *month > 12 || *week < 1 || *week > 5 || *day > 6) return false;
  if (i < s.size() && s[i] == '/') {
    ++i;
    int32_t t = 0;
    if (!ReadPosixOffset(s, i, &t)) return false;
    *time = t;
  }
  return true;
}

std::mutex& CacheMutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>>& Cache() {
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  return cache;
}
std::string& ZoneInfoDir() {
  static std::string dir = "/usr/share/zoneinfo";
  return dir;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The file of a zone name under the tzdata directory, matching each path component without
// regard to case (as PostgreSQL's pg_open_tzfile does); the name as the file system spells it.
std::optional<std::pair<std::filesystem::path, std::string>> LocateZoneFile(std::string_view name) {
  namespace fs = std::filesystem;
  if (name.empty() || name.front() == '/' || name.size() > 255) return std::nullopt;
  fs::path at(ZoneInfoDir());
  std::string canonical;
  size_t from = 0;
  while (from <= name.size()) {
    size_t slash = name.find('/', from);
    if (slash == std::string_view::npos) slash = name.size();
    const std::string_view part = name.substr(from, slash - from);
    if (part.empty() || part == "." || part == "..") return std::nullopt;
    std::error_code ec;
    std::string found;
    if (fs::exists(at / std::string(part), ec)) {
      found = std::string(part);
    } else {
      const std::string want = Lower(part);
      for (const auto& entry : fs::directory_iterator(at, ec)) {
        const std::string file = entry.path().filename().string();
        if (Lower(file) == want) {
          found = file;
          break;
        }
      }
    }
    if (found.empty()) return std::nullopt;
    at /= found;
    if (!canonical.empty()) canonical += '/';
    canonical += found;
    from = slash + 1;
  }
  std::error_code ec;
  if (!fs::is_regular_file(at, ec)) return std::nullopt;
  return std::make_pair(at, canonical);
}

// A number of hours as SET TIME ZONE takes it (SQL sign convention: east positive), or nullopt.
std::optional<double> NumericHours(std::string_view s) {
  std::string text(s);
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || std::isnan(v) || std::fabs(v) > 168) {
    return std::nullopt;
  }
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;  // "inf", "1e2"
  }
  return v;
}

std::string OffsetText(int32_t seconds) {
  const int32_t a = std::abs(seconds);
  char buf[32];
  if (a % 60 != 0) {
    std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", a / 3600, a / 60 % 60, a % 60);
  } else if (a / 60 % 60 != 0) {
    std::snprintf(buf, sizeof(buf), "%02d:%02d", a / 3600, a / 60 % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%02d", a / 3600);
  }
  return buf;
}

}  // namespace

std::optional<TimeZone::Rule> TimeZone::ParsePosixRule(std::string_view s) {
  Rule r;
  size_t i = 0;
  if (!ReadAbbrev(s, i, &r.std_abbrev)) return std::nullopt;
  int32_t west = 0;
  if (!ReadPosixOffset(s, i, &west)) return std::nullopt;
  r.std_offset = -west;
  if (i == s.size()) return r;
  if (!ReadAbbrev(s, i, &r.dst_abbrev)) return std::nullopt;
  r.has_dst = true;
  r.dst_offset = r.std_offset + 3600;
  if (i < s.size() && s[i] != ',') {
    if (!ReadPosixOffset(s, i, &west)) return std::nullopt;
    r.dst_offset = -west;
  }
  if (i >= s.size() || s[i] != ',') return std::nullopt;
  ++i;
  if (!ReadRuleDate(s, i, &r.start_month, &r.start_week, &r.start_day, &r.start_time)) {
    return std::nullopt;
  }
  if (i >= s.size() || s[i] != ',') return std::nullopt;
  ++i;
  if (!ReadRuleDate(s, i, &r.end_month, &r.end_week, &r.end_day, &r.end_time)) {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return r;
}

int32_t TimeZone::RuleOffset(int64_t t, std::string* abbreviation) const {
  const Rule& r = *rule_;
  bool dst = false;
  if (r.has_dst) {
    const int64_t year = YearOf(t + r.std_offset);
    const int64_t start = RuleDay(year, r.start_month, r.start_week, r.start_day) * kSecondsPerDay +
                          r.start_time - r.std_offset;
    const int64_t end = RuleDay(year, r.end_month, r.end_week, r.end_day) * kSecondsPerDay +
                        r.end_time - r.dst_offset;
    dst = start < end ? (t >= start && t < end) : (t >= start || t < end);
  }
  if (abbreviation != nullptr) *abbreviation = dst ? r.dst_abbrev : r.std_abbrev;
  return dst ? r.dst_offset : r.std_offset;
}

int32_t TimeZone::OffsetAt(int64_t t, std::string* abbreviation) const {
  if (transitions_.empty() || t >= transitions_.back()) {
    if (rule_) return RuleOffset(t, abbreviation);
  }
  size_t type = initial_type_;
  if (!transitions_.empty() && t >= transitions_.front()) {
    const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t);
    type = transition_types_[static_cast<size_t>(it - transitions_.begin()) - 1];
  }
  if (type >= types_.size()) return 0;  // an empty zone: UTC
  if (abbreviation != nullptr) *abbreviation = types_[type].abbreviation;
  return types_[type].offset;
}

int64_t TimeZone::LocalToUtc(int64_t local) const {
  const int32_t before = OffsetAt(local - kSecondsPerDay);
  const int32_t after = OffsetAt(local + kSecondsPerDay);
  if (before == after) return local - before;
  const int64_t with_before = local - before;
  const int64_t with_after = local - after;
  const bool before_ok = OffsetAt(with_before) == before;
  const bool after_ok = OffsetAt(with_after) == after;
  if (before_ok && after_ok) return std::max(with_before, with_after);
  if (after_ok) return with_after;
  return with_before;  // valid, or in a gap: the offset before the change
}

std::shared_ptr<const TimeZone> TimeZone::Fixed(std::string name, int32_t offset_east,
                                                std::string abbreviation) {
  auto zone = std::make_shared<TimeZone>();
  zone->name_ = std::move(name);
  zone->types_.push_back(Type{offset_east, false, std::move(abbreviation)});
  return zone;
}

Result<std::shared_ptr<const TimeZone>> TimeZone::FromTzif(std::string name,
                                                           std::string_view bytes) {
  auto bad = [&name]() {
    return Fail(sqlstate::kInvalidParameterValue,
                "time zone file of \"" + name + "\" is not a TZif file");
  };
  constexpr size_t kHeader = 44;
  auto counts = [&](size_t at, uint32_t c[6]) {
    for (int k = 0; k < 6; ++k) c[k] = LoadBE32(bytes.data() + at + 20 + 4 * k);
  };
  if (bytes.size() < kHeader || bytes.substr(0, 4) != "TZif") return bad();
  uint32_t c[6];
  counts(0, c);
  const char version = bytes[4];
  size_t at = kHeader;
  size_t time_size = 4;
  auto block_size = [&](size_t ts) -> uint64_t {
    // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    return uint64_t{c[3]} * ts + c[3] + uint64_t{c[4]} * 6 + c[5] + uint64_t{c[2]} * (ts + 4) +
           c[1] + c[0];
  };
  if (version >= '2') {
    const uint64_t skip = block_size(4);
    if (bytes.size() < at + skip + kHeader) return bad();
    at += skip;
    if (bytes.substr(at, 4) != "TZif") return bad();
    counts(at, c);
    at += kHeader;
    time_size = 8;
  }
  if (bytes.size() < at + block_size(time_size) || c[4] == 0) return bad();
  auto zone = std::make_shared<TimeZone>();
  zone->name_ = std::move(name);
  const char* p = bytes.data() + at;
  for (uint32_t k = 0; k < c[3]; ++k) {
    const int64_t t = time_size == 8 ? static_cast<int64_t>(LoadBE64(p))
                                     : static_cast<int64_t>(static_cast<int32_t>(LoadBE32(p)));
    if (!zone->transitions_.empty() && t <= zone->transitions_.back()) return bad();
    zone->transitions_.push_back(t);
    p += time_size;
  }
  for (uint32_t k = 0; k < c[3]; ++k) {
    const auto type = static_cast<uint8_t>(*p++);
    if (type >= c[4]) return bad();
    zone->transition_types_.push_back(type);
  }
  const char* types_at = p;
  const char* chars = p + size_t{c[4]} * 6;
  for (uint32_t k = 0; k < c[4]; ++k) {
    Type type;
    type.offset = static_cast<int32_t>(LoadBE32(types_at + 6 * k));
    type.is_dst = types_at[6 * k + 4] != 0;
    const auto index = static_cast<uint8_t>(types_at[6 * k + 5]);
    if (index >= c[5]) return bad();
    const std::string_view abbrevs(chars, c[5]);
    const size_t end = abbrevs.find('\0', index);
    type.abbreviation = std::string(abbrevs.substr(
        index, end == std::string_view::npos ? std::string_view::npos : end - index));
    zone->types_.push_back(std::move(type));
  }
  // RFC 8536: local time before the first transition is type 0.
  zone->initial_type_ = 0;
  if (time_size == 8) {
    const size_t footer = at + block_size(8);
    if (footer < bytes.size() && bytes[footer] == '\n') {
      const size_t end = bytes.find('\n', footer + 1);
      if (end != std::string_view::npos) {
        zone->rule_ = ParsePosixRule(bytes.substr(footer + 1, end - footer - 1));
      }
    }
  }
  return std::shared_ptr<const TimeZone>(std::move(zone));
}

std::shared_ptr<const TimeZone> Utc() {
  static const std::shared_ptr<const TimeZone> utc = TimeZone::Fixed("UTC", 0, "UTC");
  return utc;
}

void SetZoneInfoDir(std::string dir) {
  std::lock_guard lock(CacheMutex());
  ZoneInfoDir() = std::move(dir);
  Cache().clear();
}

namespace {

std::shared_ptr<const TimeZone> MakeFixedOffset(int32_t east) {
  const std::string off = OffsetText(east);
  return TimeZone::Fixed(
      std::string("<") + (east >= 0 ? "+" : "-") + off + ">" + (east >= 0 ? "-" : "+") + off, east,
      std::string(east >= 0 ? "+" : "-") + off);
}

// A bare POSIX offset, [+-]hh[:mm[:ss]] (no zone abbreviation): its seconds WEST of Greenwich.
std::optional<int32_t> BarePosixOffset(std::string_view s) {
  size_t i = 0;
  int32_t west = 0;
  if (!ReadPosixOffset(s, i, &west) || i != s.size()) return std::nullopt;
  return west;
}

// The cache key of a bare offset read as POSIX's (FindPosix): apart from Find's reading of it.
std::string PosixKey(std::string_view name) { return "\x01" + Lower(name); }

}  // namespace

std::shared_ptr<const TimeZone> FindPosix(std::string_view name) {
  const std::optional<int32_t> west = BarePosixOffset(name);
  if (!west) return Find(name);
  const std::string key = PosixKey(name);
  std::lock_guard lock(CacheMutex());
  if (auto it = Cache().find(key); it != Cache().end()) return it->second;
  auto zone = TimeZone::Fixed(std::string(name), -*west, std::string(name));
  Cache().emplace(key, zone);
  return zone;
}

std::shared_ptr<const TimeZone> Find(std::string_view name) {
  const std::string key = Lower(name);
  std::lock_guard lock(CacheMutex());
  if (auto it = Cache().find(key); it != Cache().end()) return it->second;
  std::shared_ptr<const TimeZone> zone;
  if (std::optional<double> hours = NumericHours(name)) {
    zone = MakeFixedOffset(static_cast<int32_t>(std::lround(*hours * 3600)));
  } else if (std::optional<int32_t> west = BarePosixOffset(name)) {
    // Not a plain number ('+05:30'): POSIX's sign, and shown as written.
    zone = TimeZone::Fixed(std::string(name), -*west, std::string(name));
  } else if (auto file = LocateZoneFile(name)) {
    std::ifstream in(file->first, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto parsed = TimeZone::FromTzif(file->second, buffer.str());
    if (parsed) zone = std::move(*parsed);
  } else if (key == "utc" || key == "z" || key == "zulu" || key == "gmt" || key == "etc/utc" ||
             key == "etc/gmt") {
    // Without a tzdata directory UTC still exists (the default TimeZone is Etc/UTC).
    const std::string shown = key == "etc/utc"   ? "Etc/UTC"
                              : key == "etc/gmt" ? "Etc/GMT"
                              : key == "gmt"     ? "GMT"
                                                 : "UTC";
    zone = TimeZone::Fixed(shown, 0, key.find("gmt") != std::string::npos ? "GMT" : "UTC");
  } else if (auto rule = TimeZone::ParsePosixRule(name); rule && !rule->has_dst) {
    zone = TimeZone::Fixed(std::string(name), rule->std_offset, rule->std_abbrev);
  }
  if (zone) Cache().emplace(key, zone);
  return zone;
}

}  // namespace sqlrite::engine::tz
