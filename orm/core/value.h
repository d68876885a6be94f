#pragma once
// Value: one untyped SQL value as the ORM moves it between the typed front, the statement AST,
// the serializer (as a bound parameter) and the drivers (as a result cell). Type: the column types
// the ORM maps C++ members to. Values are compared and printed only by tests.
//
// Dates and times are std::chrono values, UTC instants kept to the microsecond (PostgreSQL's
// resolution); their text forms are orm/core/temporal.h's. A UUID is its 16 bytes.

#include <array>
#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace sqlrite::orm {

// An instant (PostgreSQL `timestamptz`): microseconds since the Unix epoch, UTC.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
// A calendar date (PostgreSQL `date`).
using Date = std::chrono::year_month_day;
// A wall-clock date and time without a zone (PostgreSQL `timestamp`).
using DateTime = std::chrono::local_time<std::chrono::microseconds>;

// A time of day without a zone (PostgreSQL `time`): microseconds since midnight, 00:00:00 to
// 24:00:00 (PostgreSQL's range; it refuses others with 22008). Ordered as the times it names.
struct Time {
  std::chrono::microseconds since_midnight{};

  constexpr Time() = default;
  // Any duration since midnight, floored to the microsecond: Time(7h + 30min).
  template <typename Rep, typename Period>
  constexpr explicit Time(std::chrono::duration<Rep, Period> d)
      : since_midnight(std::chrono::floor<std::chrono::microseconds>(d)) {}
  constexpr Time(std::chrono::hours h, std::chrono::minutes m, std::chrono::seconds s = {},
                 std::chrono::microseconds us = {})
      : since_midnight(h + m + s + us) {}
  constexpr std::chrono::hh_mm_ss<std::chrono::microseconds> hms() const {
    return std::chrono::hh_mm_ss<std::chrono::microseconds>(since_midnight);
  }
  friend constexpr bool operator==(const Time&, const Time&) = default;
  friend constexpr auto operator<=>(const Time&, const Time&) = default;
};

// A UUID (PostgreSQL `uuid`): 16 bytes, ordered as PostgreSQL orders uuids (bytewise), which is
// also the order of their canonical text. All zero (nil) until set.
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};
  bool is_nil() const { return *this == Uuid{}; }
  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

// kTimestamp .. kTime were added after the first four (kept first: their numbers are stable).
enum class Type { kBool, kInt64, kDouble, kText, kTimestamp, kDate, kDateTime, kUuid, kTime };

const char* TypeName(Type t);

struct Value {
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Timestamp, Date, DateTime,
               Uuid, Time>
      v;

  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  Value(bool b) : v(b) {}
  Value(std::int64_t i) : v(i) {}
  Value(int i) : v(std::int64_t{i}) {}
  Value(double d) : v(d) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(const char* s) : v(std::string(s)) {}
  Value(Timestamp t) : v(t) {}
  Value(Date d) : v(d) {}
  Value(DateTime t) : v(t) {}
  Value(Uuid u) : v(u) {}
  Value(Time t) : v(t) {}

  // Out of line: a Value's variant destructor and copy, inlined at every use in application
  // code, cost more compile time than they save at run time.
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();

  bool is_null() const { return std::holds_alternative<std::monostate>(v); }
  friend bool operator==(const Value&, const Value&) = default;
};

// A literal for DDL DEFAULT clauses and test output: NULL, TRUE, 42, 1.5, 'it''s'; dates, times
// and UUIDs as their quoted text (orm/core/temporal.h, orm/core/uuid.h), which PostgreSQL reads
// as the column's type and SQLite stores as it stores them.
std::string ToSqlLiteral(const Value& value);

// One result of a statement: column names, rows of values, and the rows a write touched.
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::int64_t rows_affected = 0;
};

}  // namespace sqlrite::orm
