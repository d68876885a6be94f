#pragma once
// SQL values as JSON: to_json's text (datum_to_json) and to_jsonb's value (datum_to_jsonb), the
// conversion every json builder and aggregate applies to its arguments. NULL is JSON null;
// booleans and numbers are themselves (NaN and the infinities as strings); dates and times are
// strings in ISO 8601 with a "T" (2024-01-01T10:00:00+00:00); json and jsonb values are
// embedded as they are; arrays are JSON arrays of their elements (to_json's without blanks:
// [1,2]); every other value is the JSON string of its text output.

#include <string>

#include "common/error.h"
#include "engine/types.h"
#include "engine/types/json.h"
#include "engine/value.h"

namespace sqlrite::engine::json {

// Appends to_json's text of d (of type type) to out.
Status AppendSqlValue(std::string& out, const Datum& d, SqlType type);
// to_jsonb's value of d.
Result<Value> FromSqlValue(const Datum& d, SqlType type);

}  // namespace sqlrite::engine::json
