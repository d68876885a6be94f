#pragma once
// The text forms of dates and times, one per type, shared by every backend:
//   Timestamp  "2026-12-06 07:01:53.123456+00:00"  (UTC, always six fraction digits)
//   Date       "2026-12-06"
//   DateTime   "2026-12-06 07:01:53.123456"        (no zone)
//   Time       "07:01:53.123456"                   (no zone; 24:00:00.000000 is the end of day)
// They are what the pgwire driver sends (as timestamptz / date / timestamp parameters) and what
// the SQLite driver stores (TEXT): ISO-8601 with a space, the shape SQLite's own date and time
// functions read and write, and fixed-width, so comparing the texts (SQLite compares TEXT
// bytewise) orders them as the instants they name for years 0001-9999.
//
// The parsers read those forms and PostgreSQL's text output (DateStyle ISO): 1-6 (or more,
// truncated) fraction digits or none, a 'T' or a space, and for a Timestamp a zone written Z,
// +HH, +HH:MM, +HHMM or +HH:MM:SS (none: UTC, as SQLite's functions assume). Anything else
// (infinity, BC dates, DateStyle other than ISO) is 22007 invalid_datetime_format.

#include <string>
#include <string_view>

#include "orm/core/error.h"
#include "orm/core/value.h"

namespace sqlrite::orm {

std::string FormatTimestamp(Timestamp t);
std::string FormatDate(Date d);
std::string FormatDateTime(DateTime t);
std::string FormatTime(Time t);

Result<Timestamp> ParseTimestamp(std::string_view text);
Result<Date> ParseDate(std::string_view text);
Result<DateTime> ParseDateTime(std::string_view text);
Result<Time> ParseTime(std::string_view text);

// The current instant, to the microsecond (what created_at / updated_at get).
Timestamp NowTimestamp();

}  // namespace sqlrite::orm
