#pragma once
// QueryShape: a query string with its literal constants taken out. Two query strings that differ
// only in the values of their integer, numeric and plain string literals have the same shape
// (`select v from kv where id = 7` and `... where id = 12345`), so they parse to the same tree but
// for those literals. ParseCache keys its entries by the shape.
//
// The scan follows PostgreSQL 15's lexer (src/backend/parser/scan.l) for what it accepts: plain
// '...' strings ('' doubled; standard_conforming_strings is always on here), integers, decimals
// and reals, "quoted identifiers", -- and nested /* */ comments. Anything it is not sure to
// tokenise as PostgreSQL does makes ShapeOf() give up (returns false): E'', B'', X'', U&'' and
// N'' strings, $$ quoting and $n parameters, a number run into an identifier (`1abc`, `1..2`,
// `1e`), an unterminated string, identifier or comment. Giving up only costs the cache; the
// query is then parsed in full. Bytes of 0x80 and up inside a plain string are the string's own
// text, as in scan.l (the server has checked the text is valid UTF-8 before).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sqlrite::engine::sql {

struct ShapeLiteral {
  enum class Kind : char {
    kInteger = 'i',  // digits only, fits int64: an IntLiteral
    kNumeric = 'n',  // with '.' or an exponent: a NumericLiteral
    kString = 's',   // '...': a StringLiteral
  };
  Kind kind;
  uint32_t offset;  // byte offset of the token in the query string
  uint32_t length;  // bytes of the token as written (quotes included)
};

struct QueryShape {
  // The query with each literal replaced by "\x01" and its kind's letter; everything else as
  // written (whitespace and comments included, so two strings of one shape differ only inside
  // literal tokens).
  std::string key;
  std::vector<ShapeLiteral> literals;  // in text order
};

// Fills *shape from sql; false when the scan gives up (see above). Reuses shape's buffers.
bool ShapeOf(std::string_view sql, QueryShape* shape);

// The value of a kString literal token ('it''s' -> it's).
std::string StringLiteralValue(std::string_view token);

}  // namespace sqlrite::engine::sql
