#include "engine/sql/nesting_bound.h"

#include <algorithm>
#include <vector>

#include "engine/sql/lexing.h"

namespace sqlrite::engine::sql {

namespace {

// One parenthesised group (the whole string is the outermost one).
struct Group {
  size_t segment_tokens = 0;  // tokens of the current comma-separated segment
  size_t segment_child = 0;   // deepest group closed inside the current segment
  size_t best = 0;            // deepest bound of the segments already ended
  size_t Close() const { return std::max(best, segment_tokens + segment_child); }
  void EndSegment() {
    best = Close();
    segment_tokens = segment_child = 0;
  }
};

// Past the token at sql[i] that is not a bracket, separator, comment or space: a string, quoted
// identifier, dollar-quoted string, word, number or one operator character. npos when it is an
// unterminated quoted token.
size_t TokenEnd(std::string_view sql, size_t i) {
  const size_t n = sql.size();
  const char c = sql[i];
  size_t end = 0;
  if (c == '\'' || c == '"') {
    end = SkipQuoted(sql, i, /*backslash_escapes=*/false);
  } else if (c == '$') {
    size_t j = i + 1;
    if (j < n && sql[j] >= '0' && sql[j] <= '9') {
      while (j < n && sql[j] >= '0' && sql[j] <= '9') ++j;
      end = j;  // $1
    } else {
      while (j < n && IsIdentCont(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);  // $$ or $tag$
        size_t close = sql.find(tag, j + 1);
        end = close == std::string_view::npos ? close : close + tag.size();
      } else {
        end = i + 1;
      }
    }
  } else if (IsIdentStart(c)) {
    size_t j = i;
    while (j < n && IsIdentCont(sql[j])) ++j;
    const std::string_view word = sql.substr(i, j - i);
    if (j < n && sql[j] == '\'' && (word == "e" || word == "E")) {
      end = SkipQuoted(sql, j, /*backslash_escapes=*/true);
    } else if (j < n && sql[j] == '\'' && word.size() == 1 &&
               std::string_view("bBxXnN").find(word[0]) != std::string_view::npos) {
      end = SkipQuoted(sql, j, /*backslash_escapes=*/false);
    } else if (j + 1 < n && sql[j] == '&' && (sql[j + 1] == '\'' || sql[j + 1] == '"') &&
               (word == "u" || word == "U")) {
      end = SkipQuoted(sql, j + 1, /*backslash_escapes=*/false);
    } else {
      end = j;
    }
  } else if ((c >= '0' && c <= '9') || c == '.') {
    size_t j = i + 1;
    while (j < n && (IsIdentCont(sql[j]) || sql[j] == '.')) ++j;
    end = j;
  } else {
    end = i + 1;  // an operator character (a run of them counts once per character)
  }
  return end;
}

bool IsOpChar(char c) {
  switch (c) {
    case '~':
    case '!':
    case '@':
    case '#':
    case '^':
    case '&':
    case '|':
    case '`':
    case '?':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '<':
    case '>':
    case '=':
      return true;
    default:
      return false;
  }
}

}  // namespace

size_t NestingBound(std::string_view sql) {
  std::vector<Group> groups(1);
  auto close_group = [&groups] {
    const size_t inner = groups.back().Close() + 1;
    groups.pop_back();
    groups.back().segment_child = std::max(groups.back().segment_child, inner);
  };
  const size_t n = sql.size();
  size_t i = 0;
  while (i < n) {
    const char c = sql[i];
    size_t end = 0;
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (c == '-' || c == '/') {
      if (ScanComment(sql, i, &end)) {
        i = end;
        continue;
      }
      if (i + 1 < n && c == '/' && sql[i + 1] == '*') break;  // unterminated: a syntax error
    }
    if (c == '(' || c == '[') {
      groups.emplace_back();
      ++i;
      continue;
    }
    if (c == ')' || c == ']') {
      if (groups.size() > 1) close_group();
      ++i;
      continue;
    }
    if (c == ',' || c == ';') {
      groups.back().EndSegment();
      ++i;
      continue;
    }
    // Everything else is a token of the current segment.
    ++groups.back().segment_tokens;
    end = TokenEnd(sql, i);
    if (end == std::string_view::npos) break;  // unterminated: the lexer fails first
    i = end;
  }
  while (groups.size() > 1) close_group();
  return groups[0].Close();
}

size_t LexerWork(std::string_view sql, size_t stop_above) {
  const size_t n = sql.size();
  auto run_end = [&](size_t p) {
    while (p < n && IsOpChar(sql[p])) ++p;
    return p;
  };
  auto is_pair = [&](size_t p, char a, char b) {
    return p + 1 < n && sql[p] == a && sql[p + 1] == b;
  };
  size_t work = 0;
  size_t depth = 0;  // of nested block comments
  size_t i = 0;
  // Every step below either moves i forward or adds at least what it reads to work, so this runs
  // in O(n + stop_above).
  while (i < n && work <= stop_above) {
    const char c = sql[i];
    if (depth > 0) {
      // scan.l's <xc> rules: "/*" plus the operator characters after it, "*...*/", or one byte.
      if (is_pair(i, '/', '*')) {
        work += run_end(i) - i;
        ++depth;
        i += 2;
      } else if (c == '*') {
        size_t q = i;
        while (q < n && sql[q] == '*') ++q;
        if (q < n && sql[q] == '/') {
          --depth;
          ++q;
        }
        work += q - i;
        i = q;
      } else {
        ++work;
        ++i;
      }
      continue;
    }
    if (IsOpChar(c)) {
      if (is_pair(i, '-', '-')) {  // a line comment: one read to the end of the line
        while (i < n && sql[i] != '\n' && sql[i] != '\r') ++i, ++work;
        continue;
      }
      const size_t j = run_end(i);
      work += j - i;
      if (is_pair(i, '/', '*')) {
        depth = 1;
        i += 2;
        continue;
      }
      // {operator}: the run up to an embedded comment start, less trailing '+' and '-' unless
      // it holds a character no SQL-standard operator has.
      size_t nchars = j - i;
      for (size_t k = i + 1; k + 1 < j; ++k) {
        if (is_pair(k, '/', '*') || is_pair(k, '-', '-')) {
          nchars = k - i;
          break;
        }
      }
      auto plus_minus = [&](size_t len) {
        return sql[i + len - 1] == '+' || sql[i + len - 1] == '-';
      };
      if (nchars > 1 && plus_minus(nchars) &&
          sql.substr(i, nchars - 1).find_first_of("~!@#^&|`?%") == std::string_view::npos) {
        do {
          --nchars;
        } while (nchars > 1 && plus_minus(nchars));
      }
      if (nchars >= 64) return work;  // "operator too long": the lexer stops there
      i += nchars;
      continue;
    }
    if (IsSpace(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == ';') {
      ++work;
      ++i;
      continue;
    }
    const size_t end = TokenEnd(sql, i);
    if (end == std::string_view::npos) return work + (n - i);  // unterminated: the lexer stops
    work += end - i;
    i = end;
  }
  return work;
}

}  // namespace sqlrite::engine::sql
