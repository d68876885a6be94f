// The POSIX regular expression match operators ~, !~, ~* and !~* (the transformer turns them
// into calls of textregexeq, textregexne, texticregexeq and texticregexne, PostgreSQL's
// implementing functions), and regexp_replace, regexp_like and regexp_count (PostgreSQL 15's
// forms with a flags string: g (every match, regexp_replace only), i and c; PostgreSQL's other
// ARE options (b e n p q s t w x) are 0A000 here, any other letter 22023 as in PostgreSQL).
//
// The matcher is std::regex in its ECMAScript grammar, not PostgreSQL's ARE engine: the common
// syntax (anchors, classes, groups, alternation, *, +, ?, {m,n}, \d \w \s) means the same, but
// ARE-only forms (character-class escapes like [[:<:]], embedded options (?i), \m \M \y, back
// references with other numbering) are not. An invalid pattern is 2201B, as PostgreSQL. Because
// std::regex matches recursively, a subject or a pattern past kMaxSubject / kMaxPattern bytes is
// refused with 54001 rather than risking the thread's stack. The last pattern compiled is cached
// per thread (psql's catalog queries match one pattern against every row).

#include <regex>
#include <string>

#include "engine/functions/builtin.h"

namespace sqlrite::engine::functions {
namespace {

constexpr size_t kMaxPattern = 4096;
constexpr size_t kMaxSubject = 64 * 1024;

struct CachedRegex {
  std::string pattern;
  bool icase = false;
  std::regex re;
};

Result<const std::regex*> Compile(const std::string& pattern, bool icase) {
  thread_local CachedRegex cache;
  thread_local bool valid = false;
  if (valid && cache.pattern == pattern && cache.icase == icase) return &cache.re;
  if (pattern.size() > kMaxPattern) {
    return Fail(sqlstate::kStatementTooComplex, "regular expression is too complex");
  }
  try {
    auto flags = std::regex::ECMAScript;
    if (icase) flags |= std::regex::icase;
    cache.re = std::regex(pattern, flags);
  } catch (const std::regex_error& e) {
    valid = false;
    return Fail(sqlstate::kInvalidRegularExpression,
                std::string("invalid regular expression: ") + e.what());
  }
  cache.pattern = pattern;
  cache.icase = icase;
  valid = true;
  return &cache.re;
}

template <bool kIcase, bool kNegate>
Result<Datum> Match(const CallArgs& a) {
  const std::string& subject = std::get<std::string>(a.values[0]);
  const std::string& pattern = std::get<std::string>(a.values[1]);
  if (subject.size() > kMaxSubject) {
    return Fail(sqlstate::kStatementTooComplex, "regular expression is too complex");
  }
  SQLRITE_ASSIGN_OR_RETURN(const std::regex* re, Compile(pattern, kIcase));
  bool found = false;
  try {
    found = std::regex_search(subject, *re);
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
  return Error(sqlstate::kStatementTooComplex,
               std::string("regular expression is too complex: ") + e.what());
}

// PostgreSQL's replacement text: \1 .. \9 a parenthesised subexpression's match (empty when it
// took no part), \& the whole match, \\ one backslash; a backslash before anything else stays.
void AppendReplacement(std::string& out, std::string_view replacement, const std::smatch& m) {
  for (size_t i = 0; i < replacement.size(); ++i) {
    const char c = replacement[i];
    if (c != '\\' || i + 1 == replacement.size()) {
      out.push_back(c);
      continue;
    }
    const char next = replacement[i + 1];
    if (next >= '1' && next <= '9') {
      const auto group = static_cast<size_t>(next - '0');
      if (group < m.size() && m[group].matched) out.append(m[group].first, m[group].second);
      ++i;
    } else if (next == '&') {
      out.append(m[0].first, m[0].second);
      ++i;
    } else if (next == '\\') {
      out.push_back('\\');
      ++i;
    } else {
      out.push_back(c);
    }
  }
}

Result<Datum> Replace(const CallArgs& a) {
  const std::string& subject = std::get<std::string>(a.values[0]);
  const std::string& pattern = std::get<std::string>(a.values[1]);
  const std::string& replacement = std::get<std::string>(a.values[2]);
  Flags flags;
  if (a.values.size() > 3) {
    SQLRITE_ASSIGN_OR_RETURN(
        flags, ParseFlags(std::get<std::string>(a.values[3]), "regexp_replace", true));
  }
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::regex* re, Compile(pattern, flags.icase));
  std::string out;
  try {
    auto last = subject.cbegin();
    for (std::sregex_iterator it(subject.begin(), subject.end(), *re), end; it != end; ++it) {
      const std::smatch& m = *it;
      out.append(last, m[0].first);
      AppendReplacement(out, replacement, m);
      last = m[0].second;
      if (!flags.global) break;
    }
    out.append(last, subject.cend());
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
  return Datum(std::move(out));
}

Result<Datum> Like(const CallArgs& a) {
  const std::string& subject = std::get<std::string>(a.values[0]);
  const std::string& pattern = std::get<std::string>(a.values[1]);
  Flags flags;
  if (a.values.size() > 2) {
    SQLRITE_ASSIGN_OR_RETURN(flags,
                             ParseFlags(std::get<std::string>(a.values[2]), "regexp_like", false));
  }
  SQLRITE_TRY(CheckSubject(subject));
  SQLRITE_ASSIGN_OR_RETURN(const std::regex* re, Compile(pattern, flags.icase));
  try {
    return Datum(std::regex_search(subject, *re));
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
}

// regexp_count(string, pattern [, start [, flags]]): the matches from the start'th character on
// (1 by default; 22023 "invalid value for parameter \"start\": N" below 1, as PostgreSQL).
Result<Datum> Count(const CallArgs& a) {
  const std::string& subject = std::get<std::string>(a.values[0]);
  const std::string& pattern = std::get<std::string>(a.values[1]);
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
  SQLRITE_ASSIGN_OR_RETURN(const std::regex* re, Compile(pattern, flags.icase));
  // start counts characters (UTF-8): skip start - 1 of them.
  size_t from = 0;
  for (int64_t skipped = 0; skipped < start - 1 && from < subject.size(); ++skipped) {
    ++from;
    while (from < subject.size() && (static_cast<unsigned char>(subject[from]) & 0xC0) == 0x80) {
      ++from;
    }
  }
  int64_t n = 0;
  try {
    for (std::sregex_iterator
             it(subject.begin() + static_cast<std::ptrdiff_t>(from), subject.end(), *re),
         end;
         it != end; ++it) {
      ++n;
    }
  } catch (const std::regex_error& e) {
    return Fail(TooComplex(e));
  }
  return Datum(n);
}

}  // namespace

void AddRegexFunctions(std::vector<Builtin>& out) {
  constexpr TypeId kText = TypeId::kText;
  constexpr TypeId kBool = TypeId::kBool;
  out.push_back(Fn("textregexeq", {kText, kText}, kBool, Match<false, false>));
  out.push_back(Fn("textregexne", {kText, kText}, kBool, Match<false, true>));
  out.push_back(Fn("texticregexeq", {kText, kText}, kBool, Match<true, false>));
  out.push_back(Fn("texticregexne", {kText, kText}, kBool, Match<true, true>));
  constexpr TypeId kInt4 = TypeId::kInt4;
  out.push_back(Fn("regexp_replace", {kText, kText, kText}, kText, Replace));
  out.push_back(Fn("regexp_replace", {kText, kText, kText, kText}, kText, Replace));
  out.push_back(Fn("regexp_like", {kText, kText}, kBool, Like));
  out.push_back(Fn("regexp_like", {kText, kText, kText}, kBool, Like));
  out.push_back(Fn("regexp_count", {kText, kText}, kInt4, Count));
  out.push_back(Fn("regexp_count", {kText, kText, kInt4}, kInt4, Count));
  out.push_back(Fn("regexp_count", {kText, kText, kInt4, kText}, kInt4, Count));
}

}  // namespace sqlrite::engine::functions
