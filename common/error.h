#pragma once
// Error: what went wrong, as PostgreSQL reports it (SQLSTATE, message, optional detail, hint and
// cursor position). Result<T> carries either a value or an Error; every module boundary returns
// one. Our code does not throw; exceptions from std or Asio are caught at the top of a session or
// of the engine loop and turned into an Error there.

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

#include "common/sqlstate.h"

namespace sqlrite {

enum class Severity { kError, kFatal, kPanic, kWarning, kNotice };

struct Error {
  std::string sqlstate = sqlstate::kInternalError;
  std::string message;
  std::string detail;  // empty: none
  std::string hint;    // empty: none
  int position = 0;    // 1-based character offset into the query text; 0: none
  std::string context;  // PostgreSQL's CONTEXT ('W'): "COPY t, line 7, column b: \"x\""
  Severity severity = Severity::kError;
  // The object an integrity error is about, as PostgreSQL reports them (fields s, t, c, n);
  // drivers and ORMs read the constraint name. Empty: none.
  std::string schema_name;
  std::string table_name;
  std::string column_name;
  std::string constraint_name;

  Error() = default;
  Error(std::string_view code, std::string msg) : sqlstate(code), message(std::move(msg)) {}

  Error&& WithDetail(std::string d) && {
    detail = std::move(d);
    return std::move(*this);
  }
  Error&& WithHint(std::string h) && {
    hint = std::move(h);
    return std::move(*this);
  }
  Error&& WithPosition(int p) && {
    position = p;
    return std::move(*this);
  }
  // Names the table (in schema public) and optionally the column or constraint the error is about.
  Error&& OnTable(std::string table, std::string column = {}, std::string constraint = {}) && {
    schema_name = "public";
    table_name = std::move(table);
    column_name = std::move(column);
    constraint_name = std::move(constraint);
    return std::move(*this);
  }
  Error&& WithContext(std::string c) && {
    context = std::move(c);
    return std::move(*this);
  }
  Error&& WithSeverity(Severity s) && {
    severity = s;
    return std::move(*this);
  }
};

// The wire spelling of a severity ("ERROR", "FATAL", ...).
inline const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "ERROR";
    case Severity::kFatal:
      return "FATAL";
    case Severity::kPanic:
      return "PANIC";
    case Severity::kWarning:
      return "WARNING";
    case Severity::kNotice:
      return "NOTICE";
  }
  return "ERROR";
}

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

// Builds the error side of a Result: `return Fail(sqlstate::kUndefinedTable, "...")`.
inline tl::unexpected<Error> Fail(std::string_view code, std::string message) {
  return tl::unexpected<Error>(Error(code, std::move(message)));
}
inline tl::unexpected<Error> Fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

inline Status Ok() { return {}; }

}  // namespace sqlrite

// Propagates the error of a Result-returning expression; evaluates to nothing.
#define SQLRITE_TRY(expr)                                                                \
  do {                                                                                   \
    auto sqlrite_try_result_ = (expr);                                                   \
    if (!sqlrite_try_result_) {                                                          \
      return ::tl::unexpected<::sqlrite::Error>(std::move(sqlrite_try_result_).error()); \
    }                                                                                    \
  } while (false)

// Binds the value of a Result-returning expression to `lhs`, or propagates its error.
#define SQLRITE_CONCAT_INNER_(a, b) a##b
#define SQLRITE_CONCAT_(a, b) SQLRITE_CONCAT_INNER_(a, b)
#define SQLRITE_ASSIGN_OR_RETURN(lhs, expr)                        \
  auto SQLRITE_CONCAT_(sqlrite_r_, __LINE__) = (expr);             \
  if (!SQLRITE_CONCAT_(sqlrite_r_, __LINE__)) {                    \
    return ::tl::unexpected<::sqlrite::Error>(                     \
        std::move(SQLRITE_CONCAT_(sqlrite_r_, __LINE__)).error()); \
  }                                                                \
  lhs = std::move(*SQLRITE_CONCAT_(sqlrite_r_, __LINE__))
