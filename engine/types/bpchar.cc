#include "engine/types/bpchar.h"

#include "common/sqlstate.h"

namespace sqlrite::engine::bpchar {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The byte offset where the (n+1)-th character of s starts, or s.size().
size_t PrefixBytes(std::string_view s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsContinuation(s[i])) continue;
    if (chars == n) return i;
    ++chars;
  }
  return s.size();
}

}  // namespace

size_t CharLength(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsContinuation(c) ? 0 : 1;
  return n;
}

std::string_view Stripped(std::string_view s) {
  size_t end = s.size();
  while (end > 0 && s[end - 1] == ' ') --end;
  return s.substr(0, end);
}

int Compare(std::string_view a, std::string_view b) {
  const int c = Stripped(a).compare(Stripped(b));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Result<std::string> FitLength(std::string s, size_t n, bool pad, bool explicit_cast,
                              std::string_view type_name) {
  // No more bytes than n: no more characters either, nothing to cut (one pass fewer over a
  // value that fits, the usual case).
  const size_t cut = s.size() <= n ? s.size() : PrefixBytes(s, n);
  if (cut < s.size()) {
    if (!explicit_cast && s.find_first_not_of(' ', cut) != std::string::npos) {
      return Fail(sqlstate::kStringDataRightTruncation,
                  "value too long for type " + std::string(type_name));
    }
    s.resize(cut);
    return s;
  }
  if (pad) {
    const size_t have = CharLength(s);
    if (have < n) s.append(n - have, ' ');
  }
  return s;
}

}  // namespace sqlrite::engine::bpchar
