#pragma once
// Error and Result for the ORM's API: every call that can fail returns a Result<T> (tl::expected)
// whose error carries a SQLSTATE and a message; nothing throws across the API. The ORM builds
// without the server (`cmake -S orm`), so this is its own small type rather than common/error.h;
// the SQLSTATEs are PostgreSQL's (23505 unique violation, 0A000 not supported, ...), whatever the
// backend, so application code tests one set of codes.

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace sqlrite::orm {

namespace sqlstate {
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kNotNullViolation = "23502";
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kCheckViolation = "23514";
inline constexpr std::string_view kFeatureNotSupported = "0A000";
inline constexpr std::string_view kNoData = "02000";  // get/first found no row
inline constexpr std::string_view kCardinalityViolation = "21000";
inline constexpr std::string_view kSyntaxError = "42601";
inline constexpr std::string_view kUndefinedTable = "42P01";
inline constexpr std::string_view kDatatypeMismatch = "42804";
inline constexpr std::string_view kInvalidParameterValue = "22023";
inline constexpr std::string_view kConnectionFailure = "08006";
inline constexpr std::string_view kInvalidTransactionState = "25000";
inline constexpr std::string_view kInternalError = "XX000";
inline constexpr std::string_view kSerializationFailure = "40001";  // a stale version field
}  // namespace sqlstate

struct Error {
  std::string sqlstate{sqlstate::kInternalError};
  std::string message;

  Error() = default;
  Error(std::string_view code, std::string msg) : sqlstate(code), message(std::move(msg)) {}
  // Out of line (error.cc) for compile time, like Value's.
  Error(const Error& other);
  Error(Error&& other) noexcept;
  Error& operator=(const Error& other);
  Error& operator=(Error&& other) noexcept;
  ~Error();
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> Fail(std::string_view code, std::string message) {
  return tl::unexpected<Error>(Error(code, std::move(message)));
}
inline tl::unexpected<Error> Fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace sqlrite::orm

// Propagates the error of a Result-returning expression.
#define SQLRITE_ORM_TRY(expr)                                                             \
  do {                                                                                    \
    auto orm_try_result_ = (expr);                                                        \
    if (!orm_try_result_) {                                                               \
      return ::tl::unexpected<::sqlrite::orm::Error>(std::move(orm_try_result_).error()); \
    }                                                                                     \
  } while (false)
