#pragma once
// Time zones for timestamptz and the TimeZone setting: the system's tzdata (TZif files under
// /usr/share/zoneinfo, read by our own reader and cached per zone for the life of the process),
// UTC, and fixed offsets. A TimeZone is immutable once built, so sessions on any thread share it
// through a shared_ptr.
//
// TZif (RFC 8536): a v1 header and data block with 32-bit times, then (version 2+) the same with
// 64-bit times, then a footer "\n<POSIX TZ string>\n" giving the rule after the last transition.
//   header: "TZif", version, 15 reserved bytes, six big-endian uint32 counts: isutcnt, isstdcnt,
//           leapcnt, timecnt, typecnt, charcnt
//   data:   timecnt transition times, timecnt type indices (1 byte), typecnt ttinfo (int32
//           utoff, uint8 isdst, uint8 abbreviation index), charcnt abbreviation bytes,
//           leapcnt leap records, isstdcnt and isutcnt indicators
// The reader uses the 64-bit block (skipping the v1 one) and the footer's rule past the last
// transition (the "M" rule form: Mm.w.d[/time]; other forms keep the last transition's type).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace sqlrite::engine::tz {

class TimeZone {
 public:
  // The zone's name as SHOW TimeZone prints it ("Europe/Berlin", "UTC", "<+02>-02").
  const std::string& name() const { return name_; }

  // The offset east of UTC, in seconds, in effect at the UTC instant `unix_seconds`, and the
  // abbreviation then in use ("CEST").
  int32_t OffsetAt(int64_t unix_seconds, std::string* abbreviation = nullptr) const;
  // The UTC instant (unix seconds) of a wall-clock time in this zone, with PostgreSQL's rules
  // for the hours a DST change skips (read with the offset before the change: 02:30 on the day
  // clocks jump from 02:00 to 03:00 is 03:30 of the new offset) or repeats (the later instant:
  // standard time).
  int64_t LocalToUtc(int64_t local_seconds) const;

  // A zone of a constant offset (seconds east of UTC).
  static std::shared_ptr<const TimeZone> Fixed(std::string name, int32_t offset_east,
                                               std::string abbreviation);
  // A zone from the bytes of a TZif file. Error (22023) when they are not one.
  static Result<std::shared_ptr<const TimeZone>> FromTzif(std::string name, std::string_view bytes);

  // The rule a POSIX TZ string gives ("CET-1CEST,M3.5.0,M10.5.0/3"); public for tests.
  struct Rule {
    int32_t std_offset = 0;  // east of UTC
    int32_t dst_offset = 0;
    std::string std_abbrev, dst_abbrev;
    bool has_dst = false;
    // Mm.w.d/time of the start and end of DST (local time, seconds after midnight).
    int start_month = 0, start_week = 0, start_day = 0, start_time = 7200;
    int end_month = 0, end_week = 0, end_day = 0, end_time = 7200;
  };
  static std::optional<Rule> ParsePosixRule(std::string_view text);

 private:
  struct Type {
    int32_t offset = 0;
    bool is_dst = false;
    std::string abbreviation;
  };
  int32_t RuleOffset(int64_t unix_seconds, std::string* abbreviation) const;

  std::string name_;
  std::vector<int64_t> transitions_;  // unix seconds, ascending
  std::vector<uint8_t> transition_types_;
  std::vector<Type> types_;
  size_t initial_type_ = 0;  // before the first transition
  std::optional<Rule> rule_;
};

// UTC, named "UTC".
std::shared_ptr<const TimeZone> Utc();

// The zone a TimeZone setting names, as PostgreSQL's check_timezone reads it: a plain number of
// hours ('-3', '5.5') in the SQL sign convention (east positive), else a tzdata name (its case
// as the file system spells it: 'europe/berlin' is "Europe/Berlin"), "UTC", "GMT", "Z", or a
// POSIX-style zone ('+05:30' is five and a half hours WEST of Greenwich, as POSIX says;
// 'UTC+3', '<+05>-05'). nullptr when no zone has that name.
// Thread-safe; a zone read once is kept (zones are few and small).
std::shared_ptr<const TimeZone> Find(std::string_view name);
// The zone AT TIME ZONE and timezone(text, ...) name, as PostgreSQL's pg_tzset reads it: every
// offset is POSIX's, a plain number too ('-3' is three hours EAST). nullptr: none.
std::shared_ptr<const TimeZone> FindPosix(std::string_view name);

// The tzdata directory Find reads (tests may point it elsewhere before the first lookup).
void SetZoneInfoDir(std::string dir);

}  // namespace sqlrite::engine::tz
