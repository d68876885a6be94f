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
    if (end == std::string_view::npos) break;  // unterminated: the lexer fails first
    i = end;
  }
  while (groups.size() > 1) close_group();
  return groups[0].Close();
}

}  // namespace sqlrite::engine::sql
