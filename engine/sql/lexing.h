#pragma once
// Character classes and token skippers of PostgreSQL 15's lexer (src/backend/parser/scan.l),
// shared by the scanners that look at query text before libpg_query does: the statement trimming
// in parser.cc, QueryShape and NestingBound.

#include <cstddef>
#include <string_view>

namespace sqlrite::engine::sql {

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// scan.l's ident_start / ident_cont (bytes >= 0x80 count as letters, as in PostgreSQL).
inline bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
inline bool IsIdentCont(char c) { return IsIdentStart(c) || IsDigit(c) || c == '$'; }

// Past the quoted token opening at s[i] ('...' or "...", the quote doubled inside; with
// backslash_escapes, an E'...' string where a backslash also escapes the next byte).
// std::string_view::npos when it is unterminated.
size_t SkipQuoted(std::string_view s, size_t i, bool backslash_escapes);

// When a comment starts at sql[i] ("--" to the end of the line, or a nested /* */ block), sets
// *end just past it and returns true; false when none starts there or a block is unterminated.
bool ScanComment(std::string_view sql, size_t i, size_t* end);

}  // namespace sqlrite::engine::sql
