// The POSIX regular expression match operators ~, !~, ~* and !~* (the transformer turns them
// into calls of textregexeq, textregexne, texticregexeq and texticregexne, PostgreSQL's
// implementing functions).
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

}  // namespace

void AddRegexFunctions(std::vector<Builtin>& out) {
  constexpr TypeId kText = TypeId::kText;
  constexpr TypeId kBool = TypeId::kBool;
  out.push_back(Fn("textregexeq", {kText, kText}, kBool, Match<false, false>));
  out.push_back(Fn("textregexne", {kText, kText}, kBool, Match<false, true>));
  out.push_back(Fn("texticregexeq", {kText, kText}, kBool, Match<true, false>));
  out.push_back(Fn("texticregexne", {kText, kText}, kBool, Match<true, true>));
}

}  // namespace sqlrite::engine::functions
