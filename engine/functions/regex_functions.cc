// The POSIX regular expression match operators ~, !~, ~* and !~* (the transformer turns them
// into calls of textregexeq, textregexne, texticregexeq and texticregexne, PostgreSQL's
// implementing functions), and regexp_replace, regexp_like, regexp_count, regexp_match and
// regexp_split_to_array (text[] results), and similar_to_escape, which turns SIMILAR TO's
// pattern into the POSIX expression the parser matches with ~ (PostgreSQL 15's
// forms with a flags string: g (every match, regexp_replace only), i and c; PostgreSQL's other
// ARE options (b e n p q s t w x) are 0A000 here, any other letter 22023 as in PostgreSQL).
//
// The matcher is std::regex in its ECMAScript grammar, not PostgreSQL's ARE engine: the common
// syntax (anchors, classes, groups, alternation, *, +, ?, {m,n}, \d \w \s) means the same, but
// ARE-only forms (character-class escapes like [[:<:]], embedded options (?i), \m \M \y, back
// references with other numbering) are not. An invalid pattern is 2201B, as PostgreSQL. Because
// The matcher runs over code points (the text decoded from UTF-8 into a std::wstring, wchar_t
// being 32 bits here), so `.`, a bracket expression or an empty match's step is one character,
// as in PostgreSQL, and a replacement never splits a character. Case-insensitive matching
// folds ASCII letters only (the C locale's ctype). Because
// std::regex matches recursively, a subject or a pattern past kMaxSubject / kMaxPattern bytes is
// refused with 54001 rather than risking the thread's stack. The last pattern compiled is cached
// per thread (psql's catalog queries match one pattern against every row).

#include <algorithm>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/functions/builtin.h"
#include "engine/functions/utf8_append.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

constexpr size_t kMaxPattern = 4096;
constexpr size_t kMaxSubject = size_t{64} * 1024;

static_assert(sizeof(wchar_t) == 4, "the matcher holds one code point per wchar_t");

// UTF-8 to code points. Text values are valid UTF-8 (checked on input); a stray byte would
// become U+FFFD rather than be misread.
std::wstring Widen(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(L'\uFFFD');
      ++i;
      continue;
    }
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(static_cast<wchar_t>(c));
    i += n;
  }
  return out;
}

// Code points back to UTF-8, appended to out.
void AppendUtf8(std::string& out, std::wstring_view w) {
  for (wchar_t wc : w) AppendUtf8CodePoint(out, static_cast<uint32_t>(wc));
}

struct CachedRegex {
  std::string pattern;
  bool icase = false;
  std::wregex re;
};

// PostgreSQL's text (its regex library's regerror) for what std::regex found wrong with a
// pattern, where the two name the same fault; std::regex's own text otherwise.
std::string RegexErrorText(const std::regex_error& e) {
  switch (e.code()) {
    case std::regex_constants::error_paren:
      return "parentheses () not balanced";
    case std::regex_constants::error_brack:
      return "brackets [] not balanced";
    case std::regex_constants::error_brace:
      return "braces {} not balanced";
    case std::regex_constants::error_badbrace:
      return "invalid repetition count(s)";
    case std::regex_constants::error_badrepeat:
      return "quantifier operand invalid";
    case std::regex_constants::error_escape:
      return "invalid escape \\ sequence";
    case std::regex_constants::error_range:
      return "invalid character range";
    case std::regex_constants::error_ctype:
      return "invalid character class";
    case std::regex_constants::error_collate:
      return "invalid collating element";
    case std::regex_constants::error_backref:
      return "invalid backreference number";
    default:
      return e.what();
  }
}

Result<const std::wregex*> Compile(const std::string& pattern, bool icase) {
  thread_local CachedRegex cache;
  thread_local bool valid = false;
  if (valid && cache.pattern == pattern && cache.icase == icase) return &cache.re;
  if (pattern.size() > kMaxPattern) {
    return Fail(sqlstate::kStatementTooComplex, "regular expression is too complex");
  }
  try {
    auto flags = std::regex::ECMAScript;
    if (icase) flags |= std::regex::icase;
    cache.re = std::wregex(Widen(pattern), flags);
  } catch (const std::regex_error& e) {
    valid = false;
    return Fail(sqlstate::kInvalidRegularExpression,
                "invalid regular expression: " + RegexErrorText(e));
  }
  cache.pattern = pattern;
  cache.icase = icase;
  valid = true;
  return &cache.re;
}

template <bool kIcase, bool kNegate>
Result<Datum> Match(const CallArgs& a) {
  const auto& subject = std::get<std::string>(a.values[0]);
  const auto& pattern = std::get<std::string>(a.values[1]);
  if (subject.size() > kMaxSubject) {
    return Fail(sqlstate::kStatementTooComplex, "regular expression is too complex");
  }
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re, Compile(pattern, kIcase));
  bool found = false;
  try {
    found = std::regex_search(Widen(subject), *re);
  } catch (const std::regex_error& e) {
    return Fail(sqlstate::kStatementTooComplex,
                std::string("regular expression is too complex: ") + e.what());
  }
  return Datum(found != kNegate);
}

// The flags argument of regexp_replace / regexp_like / regexp_count, as PostgreSQL's
// parse_re_flags: the last of i and c wins; g only where the function allows it.
struct Flags {
  bool icase = false;
  bool global = false;
};
Result<Flags> ParseFlags(std::string_view flags, std::string_view function, bool allow_global) {
  Flags out;
  for (char c : flags) {
    switch (c) {
      case 'g':
        if (!allow_global) {
          return Fail(sqlstate::kInvalidParameterValue,
                      std::string(function) + "() does not support the \"global\" option");
        }
        out.global = true;
        break;
      case 'i':
        out.icase = true;
        break;
      case 'c':
        out.icase = false;
        break;
      case 'b':
      case 'e':
      case 'n':
      case 'p':
      case 'q':
      case 's':
      case 't':
      case 'w':
      case 'x':
        return Fail(sqlstate::kFeatureNotSupported,
                    std::string("regular expression option \"") + c +
                        "\" is not supported (the matcher is ECMAScript's, not PostgreSQL's ARE)");
      default:
        return Fail(sqlstate::kInvalidParameterValue,
                    std::string("invalid regular expression option: \"") + c + "\"");
    }
  }
  return out;
}

Status CheckSubject(const std::string& subject) {
  if (subject.size() > kMaxSubject) {
    return Fail(sqlstate::kStatementTooComplex, "regular expression is too complex");
  }
  return Ok();
}

Error TooComplex(const std::regex_error& e) {
  return {sqlstate::kStatementTooComplex,
          std::string("regular expression is too complex: ") + e.what()};
}

// PostgreSQL's replacement text: \1 .. \9 a parenthesised subexpression's match (empty when it
// took no part), \& the whole match, \\ one backslash; a backslash before anything else stays.
void AppendReplacement(std::wstring& out, std::wstring_view replacement, const std::wsmatch& m) {
  for (size_t i = 0; i < replacement.size(); ++i) {
    const wchar_t c = replacement[i];
    if (c != L'\\' || i + 1 == replacement.size()) {
      out.push_back(c);
      continue;
    }
    const wchar_t next = replacement[i + 1];
    if (next >= L'1' && next <= L'9') {
      const auto group = static_cast<size_t>(next - L'0');
      if (group < m.size() && m[group].matched) out.append(m[group].first, m[group].second);
      ++i;
    } else if (next == L'&') {
      out.append(m[0].first, m[0].second);
      ++i;
    } else if (next == L'\\') {
      out.push_back(L'\\');
      ++i;
    } else {
      out.push_back(c);
    }
  }
}

Result<Datum> Replace(const CallArgs& a) {
  const auto& subject = std::get<std::string>(a.values[0]);
  const auto& pattern = std::get<std::string>(a.values[1]);
  const auto& replacement = std::get<std::string>(a.values[2]);
  Flags flags;
  if (a.values.size() > 3) {
    SQLRITE_ASSIGN_OR_RETURN(
        flags, ParseFlags(std::get<std::string>(a.values[3]), "regexp_replace", true));
  }
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re, Compile(pattern, flags.icase));
  const std::wstring wide = Widen(subject);
  const std::wstring wide_replacement = Widen(replacement);
  std::wstring out;
  try {
    auto last = wide.cbegin();
    for (std::wsregex_iterator it(wide.begin(), wide.end(), *re), end; it != end; ++it) {
      const std::wsmatch& m = *it;
      out.append(last, m[0].first);
      AppendReplacement(out, wide_replacement, m);
      last = m[0].second;
      if (!flags.global) break;
    }
    out.append(last, wide.cend());
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
  std::string narrow;
  narrow.reserve(out.size() + subject.size() / 4);
  AppendUtf8(narrow, out);
  return Datum(std::move(narrow));
}

Result<Datum> Like(const CallArgs& a) {
  const auto& subject = std::get<std::string>(a.values[0]);
  const auto& pattern = std::get<std::string>(a.values[1]);
  Flags flags;
  if (a.values.size() > 2) {
    SQLRITE_ASSIGN_OR_RETURN(flags,
                             ParseFlags(std::get<std::string>(a.values[2]), "regexp_like", false));
  }
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re, Compile(pattern, flags.icase));
  try {
    return Datum(std::regex_search(Widen(subject), *re));
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
}

// regexp_count(string, pattern [, start [, flags]]): the matches from the start'th character on
// (1 by default; 22023 "invalid value for parameter \"start\": N" below 1, as PostgreSQL).
Result<Datum> Count(const CallArgs& a) {
  const auto& subject = std::get<std::string>(a.values[0]);
  const auto& pattern = std::get<std::string>(a.values[1]);
  int64_t start = 1;
  if (a.values.size() > 2) start = std::get<int64_t>(a.values[2]);
  if (start <= 0) {
    return Fail(sqlstate::kInvalidParameterValue,
                "invalid value for parameter \"start\": " + std::to_string(start));
  }
  Flags flags;
  if (a.values.size() > 3) {
    SQLRITE_ASSIGN_OR_RETURN(flags,
                             ParseFlags(std::get<std::string>(a.values[3]), "regexp_count", false));
  }
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re, Compile(pattern, flags.icase));
  // start counts characters; the text before it still counts for ^, \b and lookbehind
  // (match_prev_avail), as PostgreSQL searches the whole string from there.
  const std::wstring wide = Widen(subject);
  if (start - 1 > static_cast<int64_t>(wide.size())) return Datum(int64_t{0});  // past the end
  const auto from = static_cast<size_t>(start - 1);
  const auto match_flags =
      from > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
  int64_t n = 0;
  try {
    for (std::wsregex_iterator
             it(wide.begin() + static_cast<std::ptrdiff_t>(from), wide.end(), *re, match_flags),
         end;
         it != end; ++it) {
      ++n;
    }
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
  return Datum(n);
}

std::string Narrow(std::wstring_view w) {
  std::string out;
  AppendUtf8(out, w);
  return out;
}

// regexp_match(string, pattern [, flags]): the first match's parenthesised subexpressions (the
// whole match when there are none; NULL for one that took no part), NULL without a match.
Result<Datum> MatchArray(const CallArgs& a) {
  const auto& subject = std::get<std::string>(a.values[0]);
  const auto& pattern = std::get<std::string>(a.values[1]);
  Flags flags;
  if (a.values.size() > 2) {
    auto parsed = ParseFlags(std::get<std::string>(a.values[2]), "regexp_match", false);
    if (!parsed) {
      Error e = std::move(parsed.error());
      if (e.message.find("global") != std::string::npos) {
        e.hint = "Use the regexp_matches function instead.";
      }
      return Fail(std::move(e));
    }
    flags = *parsed;
  }
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re, Compile(pattern, flags.icase));
  const std::wstring wide = Widen(subject);
  std::wsmatch m;
  try {
    if (!std::regex_search(wide, m, *re)) return Datum();
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
  std::vector<Datum> items;
  if (m.size() == 1) {
    items.emplace_back(Narrow(std::wstring_view(&*m[0].first, static_cast<size_t>(m.length(0)))));
  } else {
    for (size_t g = 1; g < m.size(); ++g) {
      if (!m[g].matched) {
        items.emplace_back();
      } else {
        items.emplace_back(Narrow(std::wstring(m[g].first, m[g].second)));
      }
    }
  }
  return ArrayDatum(TypeId::kText, std::move(items));
}

// regexp_split_to_array(string, pattern [, flags]): the text between matches, as PostgreSQL's
// setup_regexp_matches with ignore_degenerate: a match is a separator when it starts before
// the end and ends after the previous separator (so an empty match at either end, or right
// after a separator, splits nothing).
Result<Datum> SplitArray(const CallArgs& a) {
  const auto& subject = std::get<std::string>(a.values[0]);
  const auto& pattern = std::get<std::string>(a.values[1]);
  Flags flags;
  if (a.values.size() > 2) {
    SQLRITE_ASSIGN_OR_RETURN(
        flags, ParseFlags(std::get<std::string>(a.values[2]), "regexp_split_to_array", false));
  }
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re, Compile(pattern, flags.icase));
  const std::wstring wide = Widen(subject);
  std::vector<Datum> items;
  size_t search = 0, prev_end = 0, piece = 0;
  try {
    while (search <= wide.size()) {
      std::wsmatch m;
      const auto match_flags =
          search > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
      if (!std::regex_search(wide.cbegin() + static_cast<std::ptrdiff_t>(search), wide.cend(), m,
                             *re, match_flags)) {
        break;
      }
      const size_t so = search + static_cast<size_t>(m.position(0));
      const size_t eo = so + static_cast<size_t>(m.length(0));
      if (so < wide.size() && eo > prev_end) {
        items.emplace_back(Narrow(std::wstring_view(wide).substr(piece, so - piece)));
        piece = eo;
        prev_end = eo;
      }
      search = so == eo ? eo + 1 : eo;
    }
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
  items.emplace_back(Narrow(std::wstring_view(wide).substr(piece)));
  return ArrayDatum(TypeId::kText, std::move(items));
}

// ---- similar_to_escape -------------------------------------------------------------------
//
// `x SIMILAR TO p [ESCAPE e]` is `x ~ similar_to_escape(p [, e])` (PostgreSQL's grammar). The
// conversion follows the manual's section 9.7.2: the whole pattern is anchored, wrapped as
// ^(?:...)$; % is .*, _ is ., ( opens a non-capturing group; the POSIX metacharacters SQL does
// not have (. ^ $) and a backslash that is not the escape are escaped; | * + ? { } [ ] ) keep
// their meaning. The escape character quotes the character after it (written as a backslash
// and that character), and escape-double-quote marks the part substring(... SIMILAR ...)
// returns: the first as "){1,1}?(", the second as "){1,1}(?:", a third is 2200C. Inside a
// bracket expression % and _ are literal, a ']' right after the '[' (or "[^") is a member, and
// a nested '[' ([:alpha:], [.x.], [=x=]) is closed by its own ']' (compared with PostgreSQL
// 15's output, e.g. [[:alpha:]%] keeps its %).

constexpr const char* kInvalidEscapeSequence = "22025";        // invalid_escape_sequence
constexpr const char* kInvalidUseOfEscapeCharacter = "2200C";  // invalid_use_of_escape_character

size_t Utf8Length(std::string_view s, size_t i) {
  size_t n = 1;
  while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
  return n;
}

Result<std::string> SimilarToRegex(std::string_view pattern, std::string_view escape) {
  if (!escape.empty() && Utf8Length(escape, 0) != escape.size()) {
    return Fail(Error(kInvalidEscapeSequence, "invalid escape string")
                    .WithHint("Escape string must be empty or one character."));
  }
  std::string out = "^(?:";
  bool after_escape = false;
  int separators = 0;
  int bracket_depth = 0;  // nesting of [ ... ] (a class name's [: :] counts as one more)
  int bracket_pos = 0;    // 1: right after '[', 2: right after "[^", 3: later
  for (size_t i = 0; i < pattern.size();) {
    const size_t len = Utf8Length(pattern, i);
    const std::string_view c = pattern.substr(i, len);
    i += len;
    if (after_escape) {
      after_escape = false;
      if (c == "\"" && bracket_depth == 0) {
        if (++separators > 2) {
          return Fail(kInvalidUseOfEscapeCharacter,
                      "SQL regular expression may not contain more than two "
                      "escape-double-quote separators");
        }
        out += separators == 1 ? "){1,1}?(" : "){1,1}(?:";
      } else {
        out += '\\';
        out += c;
        if (bracket_depth > 0) bracket_pos = 3;
      }
      continue;
    }
    if (!escape.empty() && c == escape) {
      after_escape = true;
      continue;
    }
    if (bracket_depth > 0) {
      if (c == "\\") out += '\\';
      out += c;
      if (c == "]" && bracket_pos > 2) {
        --bracket_depth;
      } else if (c == "[") {
        ++bracket_depth;
        bracket_pos = 1;
        continue;
      }
      bracket_pos = c == "^" && bracket_pos == 1 ? 2 : 3;
      continue;
    }
    if (c == "%") {
      out += ".*";
    } else if (c == "_") {
      out += '.';
    } else if (c == "(") {
      out += "(?:";
    } else if (c == "." || c == "^" || c == "$" || c == "\\") {
      out += '\\';
      out += c;
    } else {
      out += c;
      if (c == "[") {
        bracket_depth = 1;
        bracket_pos = 1;
      }
    }
  }
  out += ")$";
  return out;
}

// similar_to_escape(pattern [, escape]); similar_escape(pattern, escape), its older name, is
// not strict: a NULL escape is the default backslash.
Result<Datum> SimilarToEscape(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum{};
  std::string_view escape = "\\";
  if (a.values.size() > 1 && !IsNull(a.values[1])) escape = std::get<std::string>(a.values[1]);
  SQLRITE_ASSIGN_OR_RETURN(std::string regex,
                           SimilarToRegex(std::get<std::string>(a.values[0]), escape));
  return Datum(std::move(regex));
}

// ---- regexp_matches, regexp_split_to_table, regexp_instr, regexp_substr ----------------

// A match's bounds and its subexpressions' (npos: a group that took no part), in characters.
struct Found {
  std::vector<std::pair<size_t, size_t>> groups;  // [0] the whole match
};
constexpr size_t kNoGroup = static_cast<size_t>(-1);

// The matches from character `from` on, as PostgreSQL's setup_regexp_matches: each search starts
// where the previous match ended (one character further after an empty match); only the first
// unless `global`. The text before `from` still counts for ^ and \b (match_prev_avail).
Result<std::vector<Found>> FindAll(const std::wstring& wide, const std::wregex& re, size_t from,
                                   bool global) {
  std::vector<Found> out;
  size_t search = from;
  try {
    while (search <= wide.size()) {
      std::wsmatch m;
      const auto match_flags =
          search > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
      if (!std::regex_search(wide.cbegin() + static_cast<std::ptrdiff_t>(search), wide.cend(), m,
                             re, match_flags)) {
        break;
      }
      Found f;
      for (size_t g = 0; g < m.size(); ++g) {
        if (!m[g].matched) {
          f.groups.emplace_back(kNoGroup, kNoGroup);
          continue;
        }
        const auto so = static_cast<size_t>(m[g].first - wide.cbegin());
        f.groups.emplace_back(so, so + static_cast<size_t>(m.length(g)));
      }
      const size_t so = f.groups[0].first, eo = f.groups[0].second;
      out.push_back(std::move(f));
      if (!global) break;
      search = so == eo ? eo + 1 : eo;
    }
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
  return out;
}

class ListRows final : public RowGenerator {
 public:
  explicit ListRows(std::vector<Datum> rows) : rows_(std::move(rows)) {}
  Result<bool> Next(Datum& out) override {
    if (next_ == rows_.size()) return false;
    out = std::move(rows_[next_++]);
    return true;
  }

 private:
  std::vector<Datum> rows_;
  size_t next_ = 0;
};

// regexp_matches(string, pattern [, flags]): a text[] row per match (every match with g), as
// regexp_match's array.
Result<std::unique_ptr<RowGenerator>> Matches(const CallArgs& a) {
  const auto& subject = std::get<std::string>(a.values[0]);
  const auto& pattern = std::get<std::string>(a.values[1]);
  Flags flags;
  if (a.values.size() > 2) {
    SQLRITE_ASSIGN_OR_RETURN(
        flags, ParseFlags(std::get<std::string>(a.values[2]), "regexp_matches", true));
  }
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re, Compile(pattern, flags.icase));
  const std::wstring wide = Widen(subject);
  SQLRITE_ASSIGN_OR_RETURN(std::vector<Found> found, FindAll(wide, *re, 0, flags.global));
  std::vector<Datum> rows;
  const std::wstring_view w(wide);
  for (const Found& f : found) {
    std::vector<Datum> items;
    const size_t first = f.groups.size() == 1 ? 0 : 1;
    for (size_t g = first; g < f.groups.size(); ++g) {
      if (f.groups[g].first == kNoGroup) {
        items.emplace_back();
      } else {
        items.emplace_back(
            Narrow(w.substr(f.groups[g].first, f.groups[g].second - f.groups[g].first)));
      }
    }
    rows.push_back(ArrayDatum(TypeId::kText, std::move(items)));
  }
  return std::unique_ptr<RowGenerator>(std::make_unique<ListRows>(std::move(rows)));
}

// regexp_split_to_table(string, pattern [, flags]): regexp_split_to_array's elements as rows.
Result<std::unique_ptr<RowGenerator>> SplitTable(const CallArgs& a) {
  if (a.values.size() > 2) {
    SQLRITE_TRY(ParseFlags(std::get<std::string>(a.values[2]), "regexp_split_to_table", false));
  }
  SQLRITE_ASSIGN_OR_RETURN(Datum array, SplitArray(a));
  return std::unique_ptr<RowGenerator>(std::make_unique<ListRows>(DatumAs<ArrayRef>(array)->items));
}

// substring(string from pattern): the first match's first parenthesised subexpression (NULL
// when it took no part), or the whole match when there is none; NULL without a match
// (PostgreSQL's textregexsubstr).
Result<Datum> SubstringRegex(const CallArgs& a) {
  const auto& subject = std::get<std::string>(a.values[0]);
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re,
                           Compile(std::get<std::string>(a.values[1]), false));
  const std::wstring wide = Widen(subject);
  SQLRITE_ASSIGN_OR_RETURN(std::vector<Found> found, FindAll(wide, *re, 0, false));
  if (found.empty()) return Datum();
  const auto& g = found[0].groups[found[0].groups.size() > 1 ? 1 : 0];
  if (g.first == kNoGroup) return Datum();
  return Datum(Narrow(std::wstring_view(wide).substr(g.first, g.second - g.first)));
}

// substring(string SIMILAR pattern ESCAPE escape), which the grammar makes substring(string,
// pattern, escape): PostgreSQL's SQL function substring($1, similar_to_escape($2, $3)), the
// part of the match the pattern's escape-double-quotes mark (the whole match without them).
Result<Datum> SubstringSimilar(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(std::string regex, SimilarToRegex(std::get<std::string>(a.values[1]),
                                                             std::get<std::string>(a.values[2])));
  const Datum values[2] = {a.values[0], Datum(std::move(regex))};
  return SubstringRegex(CallArgs{values, {}});
}

Error BadParameter(const char* name, int64_t value) {
  return {sqlstate::kInvalidParameterValue,
          std::string("invalid value for parameter \"") + name + "\": " + std::to_string(value)};
}

// The n'th match from character `start` (1-based) of regexp_instr / regexp_substr, or nullopt.
struct NthArgs {
  int64_t start = 1, n = 1, endoption = 0, subexpr = 0;
  Flags flags;
};
Result<std::optional<Found>> NthMatch(const CallArgs& a, const NthArgs& p, std::wstring& wide) {
  const auto& subject = std::get<std::string>(a.values[0]);
  const auto& pattern = std::get<std::string>(a.values[1]);
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::wregex* re, Compile(pattern, p.flags.icase));
  wide = Widen(subject);
  if (p.start - 1 > static_cast<int64_t>(wide.size())) return std::optional<Found>();
  SQLRITE_ASSIGN_OR_RETURN(std::vector<Found> found,
                           FindAll(wide, *re, static_cast<size_t>(p.start - 1), true));
  if (static_cast<int64_t>(found.size()) < p.n) return std::optional<Found>();
  return std::optional<Found>(std::move(found[static_cast<size_t>(p.n - 1)]));
}

// regexp_instr(string, pattern [, start [, N [, endoption [, flags [, subexpr]]]]]): where the
// N'th match (or its subexpr'th subexpression) starts (ends, after, with endoption 1); 0 when
// there is none.
Result<Datum> Instr(const CallArgs& a) {
  NthArgs p;
  const size_t n = a.values.size();
  if (n > 2) p.start = std::get<int64_t>(a.values[2]);
  if (p.start <= 0) return Fail(BadParameter("start", p.start));
  if (n > 3) p.n = std::get<int64_t>(a.values[3]);
  if (p.n <= 0) return Fail(BadParameter("n", p.n));
  if (n > 4) p.endoption = std::get<int64_t>(a.values[4]);
  if (p.endoption != 0 && p.endoption != 1) return Fail(BadParameter("endoption", p.endoption));
  if (n > 5) {
    SQLRITE_ASSIGN_OR_RETURN(p.flags,
                             ParseFlags(std::get<std::string>(a.values[5]), "regexp_instr", false));
  }
  if (n > 6) p.subexpr = std::get<int64_t>(a.values[6]);
  if (p.subexpr < 0) return Fail(BadParameter("subexpr", p.subexpr));
  std::wstring wide;
  SQLRITE_ASSIGN_OR_RETURN(std::optional<Found> f, NthMatch(a, p, wide));
  if (!f || static_cast<size_t>(p.subexpr) >= f->groups.size()) return Datum(int64_t{0});
  const auto& g = f->groups[static_cast<size_t>(p.subexpr)];
  if (g.first == kNoGroup) return Datum(int64_t{0});
  return Datum(static_cast<int64_t>((p.endoption == 1 ? g.second : g.first) + 1));
}

// regexp_substr(string, pattern [, start [, N [, flags [, subexpr]]]]): the text of the N'th
// match (or its subexpr'th subexpression); NULL when there is none.
Result<Datum> Substr(const CallArgs& a) {
  NthArgs p;
  const size_t n = a.values.size();
  if (n > 2) p.start = std::get<int64_t>(a.values[2]);
  if (p.start <= 0) return Fail(BadParameter("start", p.start));
  if (n > 3) p.n = std::get<int64_t>(a.values[3]);
  if (p.n <= 0) return Fail(BadParameter("n", p.n));
  if (n > 4) {
    SQLRITE_ASSIGN_OR_RETURN(
        p.flags, ParseFlags(std::get<std::string>(a.values[4]), "regexp_substr", false));
  }
  if (n > 5) p.subexpr = std::get<int64_t>(a.values[5]);
  if (p.subexpr < 0) return Fail(BadParameter("subexpr", p.subexpr));
  std::wstring wide;
  SQLRITE_ASSIGN_OR_RETURN(std::optional<Found> f, NthMatch(a, p, wide));
  if (!f || static_cast<size_t>(p.subexpr) >= f->groups.size()) return Datum();
  const auto& g = f->groups[static_cast<size_t>(p.subexpr)];
  if (g.first == kNoGroup) return Datum();
  return Datum(Narrow(std::wstring_view(wide).substr(g.first, g.second - g.first)));
}

}  // namespace

void AddRegexFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kBool;
  using type_shorthands::kText;
  out.push_back(Fn("textregexeq", {kText, kText}, kBool, Match<false, false>));
  out.push_back(Fn("textregexne", {kText, kText}, kBool, Match<false, true>));
  out.push_back(Fn("texticregexeq", {kText, kText}, kBool, Match<true, false>));
  out.push_back(Fn("texticregexne", {kText, kText}, kBool, Match<true, true>));
  using type_shorthands::kInt4;
  out.push_back(Fn("regexp_replace", {kText, kText, kText}, kText, Replace));
  out.push_back(Fn("regexp_replace", {kText, kText, kText, kText}, kText, Replace));
  out.push_back(Fn("regexp_like", {kText, kText}, kBool, Like));
  out.push_back(Fn("regexp_like", {kText, kText, kText}, kBool, Like));
  out.push_back(Fn("regexp_count", {kText, kText}, kInt4, Count));
  out.push_back(Fn("regexp_count", {kText, kText, kInt4}, kInt4, Count));
  out.push_back(Fn("regexp_count", {kText, kText, kInt4, kText}, kInt4, Count));
  for (Builtin b :
       {Fn("regexp_match", {kText, kText}, TypeId::kArray, MatchArray),
        Fn("regexp_match", {kText, kText, kText}, TypeId::kArray, MatchArray),
        Fn("regexp_split_to_array", {kText, kText}, TypeId::kArray, SplitArray),
        Fn("regexp_split_to_array", {kText, kText, kText}, TypeId::kArray, SplitArray)}) {
    b.result_elem = kText;
    out.push_back(b);
  }
  out.push_back(Fn("similar_to_escape", {kText}, kText, SimilarToEscape));
  out.push_back(Fn("similar_to_escape", {kText, kText}, kText, SimilarToEscape));
  Builtin similar_escape = Fn("similar_escape", {kText, kText}, kText, SimilarToEscape);
  similar_escape.strict = false;
  out.push_back(similar_escape);
}

}  // namespace sqlrite::engine::functions

namespace sqlrite::engine::functions {

void AddRegexSetFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kI4;
  using type_shorthands::kText;
  for (Builtin b : {SetFn("regexp_matches", {kText, kText}, TypeId::kArray, Matches),
                    SetFn("regexp_matches", {kText, kText, kText}, TypeId::kArray, Matches)}) {
    b.result_elem = kText;
    out.push_back(b);
  }
  out.push_back(SetFn("regexp_split_to_table", {kText, kText}, kText, SplitTable));
  out.push_back(SetFn("regexp_split_to_table", {kText, kText, kText}, kText, SplitTable));
  out.push_back(Fn("regexp_instr", {kText, kText}, kI4, Instr));
  out.push_back(Fn("regexp_instr", {kText, kText, kI4}, kI4, Instr));
  out.push_back(Fn("regexp_instr", {kText, kText, kI4, kI4}, kI4, Instr));
  out.push_back(Fn("regexp_instr", {kText, kText, kI4, kI4, kI4}, kI4, Instr));
  out.push_back(Fn("regexp_instr", {kText, kText, kI4, kI4, kI4, kText}, kI4, Instr));
  out.push_back(Fn("regexp_instr", {kText, kText, kI4, kI4, kI4, kText, kI4}, kI4, Instr));
  out.push_back(Fn("regexp_substr", {kText, kText}, kText, Substr));
  out.push_back(Fn("regexp_substr", {kText, kText, kI4}, kText, Substr));
  out.push_back(Fn("regexp_substr", {kText, kText, kI4, kI4}, kText, Substr));
  out.push_back(Fn("regexp_substr", {kText, kText, kI4, kI4, kText}, kText, Substr));
  out.push_back(Fn("regexp_substr", {kText, kText, kI4, kI4, kText, kI4}, kText, Substr));
  out.push_back(Fn("substring", {kText, kText}, kText, SubstringRegex));
  out.push_back(Fn("substring", {kText, kText, kText}, kText, SubstringSimilar));
}

}  // namespace sqlrite::engine::functions
