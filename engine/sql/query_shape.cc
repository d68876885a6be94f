#include "engine/sql/query_shape.h"

#include <charconv>

#include "engine/sql/lexing.h"

namespace sqlrite::engine::sql {

namespace {

// Scans a number starting at i (a digit, or '.' followed by a digit). Sets *end past it and
// *kind; false when PostgreSQL would lex it differently from a plain literal.
bool ScanNumber(std::string_view s, size_t i, size_t* end, ShapeLiteral::Kind* kind) {
  const size_t n = s.size();
  const size_t begin = i;
  bool integer = true;
  while (i < n && IsDigit(s[i])) ++i;
  if (i < n && s[i] == '.') {
    if (i + 1 < n && s[i + 1] == '.') return false;  // scan.l's decimalfail: "1..2"
    integer = false;
    ++i;
    while (i < n && IsDigit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    integer = false;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !IsDigit(s[i])) return false;  // realfail: "1e", "1e+"
    while (i < n && IsDigit(s[i])) ++i;
  }
  // "123abc" lexes as 123 then an identifier (an alias); not worth modelling.
  if (i < n && (IsIdentCont(s[i]) || s[i] == '.')) return false;
  if (integer) {
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(s.data() + begin, s.data() + i, value);
    if (ec != std::errc() || ptr != s.data() + i) return false;  // beyond int64: numeric
  }
  *kind = integer ? ShapeLiteral::Kind::kInteger : ShapeLiteral::Kind::kNumeric;
  *end = i;
  return true;
}

}  // namespace

bool ShapeOf(std::string_view sql, QueryShape* shape) {
  shape->key.clear();
  shape->literals.clear();
  if (sql.size() > UINT32_MAX) return false;
  // A \x01 anywhere could pass for a literal marker in the key; libpg_query stops at a NUL.
  // (Two find()s are two memchr()s; find_first_of of a two-byte set is a memchr per byte.)
  if (sql.find('\0') != std::string_view::npos || sql.find('\x01') != std::string_view::npos) {
    return false;
  }
  const size_t n = sql.size();
  size_t copied = 0;  // sql[copied, i) is still to be appended to the key
  size_t i = 0;
  auto add_literal = [&](ShapeLiteral::Kind kind, size_t begin, size_t end) {
    shape->key.append(sql.substr(copied, begin - copied));
    shape->key.push_back('\x01');
    shape->key.push_back(static_cast<char>(kind));
    shape->literals.push_back(
        ShapeLiteral{kind, static_cast<uint32_t>(begin), static_cast<uint32_t>(end - begin)});
    copied = end;
  };
  while (i < n) {
    const char c = sql[i];
    size_t end = 0;
    if (c == '\'') {
      end = SkipQuoted(sql, i, /*backslash_escapes=*/false);
      if (end == std::string_view::npos) return false;
      add_literal(ShapeLiteral::Kind::kString, i, end);
      i = end;
    } else if (c == '"') {
      end = SkipQuoted(sql, i, /*backslash_escapes=*/false);
      if (end == std::string_view::npos) return false;
      i = end;
    } else if (IsDigit(c) || (c == '.' && i + 1 < n && IsDigit(sql[i + 1]))) {
      ShapeLiteral::Kind kind;
      if (!ScanNumber(sql, i, &end, &kind)) return false;
      add_literal(kind, i, end);
      i = end;
    } else if (IsIdentStart(c)) {
      while (i < n && IsIdentCont(sql[i])) ++i;
      // E'..', B'..', X'..', N'..', U&'..' and the like: prefixed strings.
      if (i < n && (sql[i] == '\'' || sql[i] == '&')) return false;
    } else if ((c == '-' && i + 1 < n && sql[i + 1] == '-') ||
               (c == '/' && i + 1 < n && sql[i + 1] == '*')) {
      if (!ScanComment(sql, i, &end)) return false;  // an unterminated block comment
      i = end;
    } else if (c == '$') {
      return false;  // $1 parameters and $$ / $tag$ quoting
    } else {
      ++i;
    }
  }
  shape->key.append(sql.substr(copied));
  return true;
}

std::string StringLiteralValue(std::string_view token) {
  std::string value;
  value.reserve(token.size() >= 2 ? token.size() - 2 : 0);
  for (size_t i = 1; i + 1 < token.size(); ++i) {
    value.push_back(token[i]);
    if (token[i] == '\'') ++i;  // '' stands for one quote
  }
  return value;
}

}  // namespace sqlrite::engine::sql
