#pragma once
// Arrays' text form (array_in / array_out), apart from their elements' types: the engine's
// array values are ArrayRef Datums (engine/value.h), and ParseText / AppendText
// (engine/expression.h, engine/value.h) read and write each element through its own type.
//
// One dimension only: a literal of nested braces is refused with 0A000, after the checks that
// make it malformed in PostgreSQL too. The dimension prefix "[lower:upper]=" is read and written.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace sqlrite::engine::array {

struct ParsedText {
  std::vector<std::optional<std::string>> elements;  // nullopt: NULL
  int32_t lower = 1;  // the first subscript (the dimension prefix's lower bound)
};

// array_in's reading of text (before each element's own input): blanks around elements
// skipped, quotes and backslashes removed, an unquoted NULL (any case) a NULL. Errors as
// PostgreSQL 15's: 22P02 "malformed array literal: "<text>"" with its DETAIL ("Unexpected end of
// input.", "Unexpected "," character.", "Junk after closing right brace.", ...), 2202E for an
// upper bound below the lower, 0A000 for more than one dimension.
Result<ParsedText> ParseText(std::string_view text);

// Appends one element's text as array_out writes it: in double quotes (with " and \ escaped by
// a backslash) when it is empty, is NULL in any case, or holds a brace, a comma, a quote, a
// backslash or a blank.
void AppendElement(std::string& out, std::string_view text);

// The dimension prefix array_out writes before an array whose subscripts do not start at 1:
// "[lower:upper]=" (nothing when lower is 1 or the array is empty).
void AppendBounds(std::string& out, int32_t lower, size_t count);

}  // namespace sqlrite::engine::array
