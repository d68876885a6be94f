#pragma once
// Datum: one SQL value at run time. The SQL type lives beside it (in the schema or the
// expression), not inside it: int4 and int8 are both int64_t, text and varchar both std::string,
// numeric is double for now.

#include <cstdint>
#include <string>
#include <variant>

#include "common/assert.h"
#include "engine/types.h"

namespace sqlrite::engine {

using Datum = std::variant<std::monostate, bool, int64_t, double, std::string>;

inline bool IsNull(const Datum& d) { return std::holds_alternative<std::monostate>(d); }

// d's value as T, for code that knows the representation from the type the binder gave the
// expression (rows are checked against their table when read, so stored values agree too).
// REQUIRES: d holds a T; a mismatch is a bug, not an exception.
template <typename T>
const T& DatumAs(const Datum& d) {
  const T* v = std::get_if<T>(&d);
  SQLRITE_ASSERT(v != nullptr);
  return *v;
}
template <typename T>
T& DatumAs(Datum& d) {
  T* v = std::get_if<T>(&d);
  SQLRITE_ASSERT(v != nullptr);
  return *v;
}

// PostgreSQL's text output for a value of type `type` ("t"/"f" for bool, shortest round-trip
// digits for float8 as PostgreSQL 12+ prints them, ...). REQUIRES: !IsNull(d).
std::string FormatText(const Datum& d, TypeId type);
void AppendText(std::string& out, const Datum& d, TypeId type);

}  // namespace sqlrite::engine
