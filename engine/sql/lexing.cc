#include "engine/sql/lexing.h"

namespace sqlrite::engine::sql {

size_t SkipQuoted(std::string_view s, size_t i, bool backslash_escapes) {
  const char quote = s[i];
  for (++i; i < s.size(); ++i) {
    if (backslash_escapes && s[i] == '\\') {
      ++i;
    } else if (s[i] == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return std::string_view::npos;
}

bool ScanComment(std::string_view s, size_t i, size_t* end) {
  const size_t n = s.size();
  if (i + 1 >= n) return false;
  if (s[i] == '-' && s[i + 1] == '-') {
    while (i < n && s[i] != '\n' && s[i] != '\r') ++i;
    *end = i;
    return true;
  }
  if (s[i] != '/' || s[i + 1] != '*') return false;
  int depth = 0;  // block comments nest in PostgreSQL
  while (i < n) {
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
      ++depth;
      i += 2;
    } else if (i + 1 < n && s[i] == '*' && s[i + 1] == '/') {
      i += 2;
      if (--depth == 0) {
        *end = i;
        return true;
      }
    } else {
      ++i;
    }
  }
  return false;
}

}  // namespace sqlrite::engine::sql
