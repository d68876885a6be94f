#pragma once
// Datum: one SQL value at run time. The SQL type lives beside it (in the schema or the
// expression), not inside it: int4 and int8 are both int64_t, text and varchar both std::string,
// numeric is double for now.

#include <cstdint>
#include <string>
#include <variant>

#include "engine/types.h"

namespace sqlrite::engine {

using Datum = std::variant<std::monostate, bool, int64_t, double, std::string>;

inline bool IsNull(const Datum& d) { return std::holds_alternative<std::monostate>(d); }

// PostgreSQL's text output for a value of type `type` ("t"/"f" for bool, shortest round-trip
// digits for float8 as PostgreSQL 12+ prints them, ...). REQUIRES: !IsNull(d).
std::string FormatText(const Datum& d, TypeId type);
void AppendText(std::string& out, const Datum& d, TypeId type);

}  // namespace sqlrite::engine
