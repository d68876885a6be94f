#pragma once

#include <string>
#include <utility>

#include "common/error.h"
#include "common/sqlstate.h"

namespace sqlrite::engine {

// A NOTICE for the client (an "error" of notice severity: the statement goes on), as DDL sends
// when IF [NOT] EXISTS skips an object or a drop cascades. One definition for the executors, which
// each had a copy in an anonymous namespace, where a unity build (SQLRITE_UNITY) collided.
inline Error Notice(const char* code, std::string message) {
  return Error(code, std::move(message)).WithSeverity(Severity::kNotice);
}
// Code 00000 (successful completion).
inline Error Notice(std::string message) {
  return Error(sqlstate::kSuccessfulCompletion, std::move(message)).WithSeverity(Severity::kNotice);
}

}  // namespace sqlrite::engine
