// The string functions of the registry (engine/functions/builtin.h), as PostgreSQL 15 defines
// them for text in a UTF-8 database: positions and lengths count characters, not bytes.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include "common/sqlstate.h"
#include "engine/functions/arg_shorthands.h"
#include "engine/functions/builtin.h"
#include "engine/functions/format.h"
#include "engine/functions/utf8_append.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

// PostgreSQL refuses results past its varlena limit (1 GB) with 54000.
constexpr size_t kMaxResultBytes = (size_t{1} << 30) - 1;

using arg_shorthands::Str;
int64_t Int(const CallArgs& a, size_t i) { return DatumAs<int64_t>(a.values[i]); }

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CharCount(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !IsContinuation(c); }));
}

// The byte offset where character n (0-based) starts; s.size() when s has n characters or fewer.
size_t ByteOffset(std::string_view s, size_t n) {
  size_t i = 0;
  while (i < s.size()) {
    if (!IsContinuation(s[i])) {
      if (n == 0) return i;
      --n;
    }
    ++i;
  }
  return s.size();
}

// The characters of s, each as its bytes.
std::vector<std::string_view> Chars(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 1; i <= s.size(); ++i) {
    if (i == s.size() || !IsContinuation(s[i])) {
      out.push_back(s.substr(start, i - start));
      start = i;
    }
  }
  return out;
}

Status CheckLength(size_t bytes) {
  if (bytes > kMaxResultBytes)
    return Fail(sqlstate::kProgramLimitExceeded, "requested length too large");
  return Ok();
}

// Characters [from, to) of s, 0-based and clipped to s.
std::string CharRange(std::string_view s, int64_t from, int64_t to) {
  from = std::max<int64_t>(from, 0);
  if (to <= from) return std::string();
  const size_t b = ByteOffset(s, static_cast<size_t>(from));
  const size_t e = ByteOffset(s, static_cast<size_t>(to));
  return std::string(s.substr(b, e - b));
}

Result<Datum> Substr3(const CallArgs& a) {
  const int64_t start = Int(a, 1);
  const int64_t length = Int(a, 2);
  if (length < 0) {
    return Fail(sqlstate::kSubstringError, "negative substring length not allowed");
  }
  // PostgreSQL's text_substring: characters start .. start + length - 1 (1-based), clipped.
  const int64_t end = start > std::numeric_limits<int64_t>::max() - length
                          ? std::numeric_limits<int64_t>::max()
                          : start + length;
  return Datum(CharRange(Str(a, 0), start - 1, end - 1));
}

Result<Datum> Substr2(const CallArgs& a) {
  return Datum(CharRange(Str(a, 0), Int(a, 1) - 1, std::numeric_limits<int64_t>::max()));
}

Result<Datum> Strpos(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const size_t at = s.find(Str(a, 1));
  if (at == std::string::npos) return Datum(int64_t{0});
  return Datum(static_cast<int64_t>(CharCount(std::string_view(s).substr(0, at)) + 1));
}

Result<Datum> Replace(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const std::string& from = Str(a, 1);
  const std::string& to = Str(a, 2);
  if (from.empty()) return Datum(s);
  std::string out;
  size_t pos = 0;
  for (size_t at; (at = s.find(from, pos)) != std::string::npos; pos = at + from.size()) {
    out.append(s, pos, at - pos);
    out += to;
    SQLRITE_TRY(CheckLength(out.size()));
  }
  out.append(s, pos);
  return Datum(std::move(out));
}

Result<Datum> Translate(const CallArgs& a) {
  const std::vector<std::string_view> from = Chars(Str(a, 1));
  const std::vector<std::string_view> to = Chars(Str(a, 2));
  std::string out;
  for (std::string_view c : Chars(Str(a, 0))) {
    auto it = std::find(from.begin(), from.end(), c);
    if (it == from.end()) {
      out += c;
    } else if (const auto i = static_cast<size_t>(it - from.begin()); i < to.size()) {
      out += to[i];
    }  // else: a character of `from` with no counterpart in `to` is deleted
  }
  return Datum(std::move(out));
}

enum class Side { kBoth, kLeft, kRight };

std::string Trim(std::string_view s, std::string_view set, Side side) {
  const std::vector<std::string_view> chars = Chars(s);
  const std::vector<std::string_view> strip = Chars(set);
  auto stripped = [&](std::string_view c) {
    return std::find(strip.begin(), strip.end(), c) != strip.end();
  };
  size_t begin = 0;
  size_t end = chars.size();
  if (side != Side::kRight) {
    while (begin < end && stripped(chars[begin])) ++begin;
  }
  if (side != Side::kLeft) {
    while (end > begin && stripped(chars[end - 1])) --end;
  }
  std::string out;
  for (size_t i = begin; i < end; ++i) out += chars[i];
  return out;
}

template <Side side>
Result<Datum> Trim1(const CallArgs& a) {
  return Datum(Trim(Str(a, 0), " ", side));
}
template <Side side>
Result<Datum> Trim2(const CallArgs& a) {
  return Datum(Trim(Str(a, 0), Str(a, 1), side));
}

Result<Datum> SplitPart(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const std::string& delim = Str(a, 1);
  const int64_t n = Int(a, 2);
  if (n == 0) return Fail(sqlstate::kInvalidParameterValue, "field position must not be zero");
  std::vector<std::string_view> fields;
  if (delim.empty()) {
    fields.emplace_back(s);
  } else {
    size_t pos = 0;
    for (size_t at; (at = s.find(delim, pos)) != std::string::npos; pos = at + delim.size()) {
      fields.push_back(std::string_view(s).substr(pos, at - pos));
    }
    fields.push_back(std::string_view(s).substr(pos));
  }
  if (s.empty()) return Datum(std::string());
  const auto count = static_cast<int64_t>(fields.size());
  const int64_t index = n > 0 ? n - 1 : count + n;
  if (index < 0 || index >= count) return Datum(std::string());
  return Datum(std::string(fields[static_cast<size_t>(index)]));
}

void AppendValue(std::string& out, const CallArgs& a, size_t i) {
  AppendText(out, a.values[i], a.types[i].id == TypeId::kUnknown ? TypeId::kText : a.types[i].id);
}

Result<Datum> Concat(const CallArgs& a) {
  std::string out;
  for (size_t i = 0; i < a.values.size(); ++i) {
    if (!IsNull(a.values[i])) AppendValue(out, a, i);
  }
  return Datum(std::move(out));
}

Result<Datum> ConcatWs(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum{};
  const std::string& sep = Str(a, 0);
  std::string out;
  bool first = true;
  for (size_t i = 1; i < a.values.size(); ++i) {
    if (IsNull(a.values[i])) continue;
    if (!first) out += sep;
    first = false;
    AppendValue(out, a, i);
  }
  return Datum(std::move(out));
}

Result<Datum> NumNulls(const CallArgs& a) {
  return Datum(static_cast<int64_t>(std::count_if(a.values.begin(), a.values.end(), IsNull)));
}
Result<Datum> NumNonNulls(const CallArgs& a) {
  return Datum(static_cast<int64_t>(
      std::count_if(a.values.begin(), a.values.end(), [](const Datum& d) { return !IsNull(d); })));
}

Result<Datum> Left(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const int64_t n = Int(a, 1);
  const auto len = static_cast<int64_t>(CharCount(s));
  return Datum(CharRange(s, 0, n >= 0 ? n : len + n));
}

Result<Datum> Right(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const int64_t n = Int(a, 1);
  const auto len = static_cast<int64_t>(CharCount(s));
  return Datum(CharRange(s, n >= 0 ? len - n : -n, len));
}

template <bool left>
Result<Datum> Pad(std::string_view s, int64_t length, std::string_view fill) {
  if (length <= 0) return Datum(std::string());
  const auto have = static_cast<int64_t>(CharCount(s));
  if (have >= length || fill.empty()) return Datum(CharRange(s, 0, length));
  const std::vector<std::string_view> fill_chars = Chars(fill);
  std::string pad;
  for (int64_t i = 0; i < length - have; ++i) {
    pad += fill_chars[static_cast<size_t>(i) % fill_chars.size()];
    SQLRITE_TRY(CheckLength(pad.size() + s.size()));
  }
  return Datum(left ? pad + std::string(s) : std::string(s) + pad);
}
template <bool left>
Result<Datum> Pad2(const CallArgs& a) {
  return Pad<left>(Str(a, 0), Int(a, 1), " ");
}
template <bool left>
Result<Datum> Pad3(const CallArgs& a) {
  return Pad<left>(Str(a, 0), Int(a, 1), Str(a, 2));
}

Result<Datum> Repeat(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const int64_t n = Int(a, 1);
  if (n <= 0 || s.empty()) return Datum(std::string());
  if (static_cast<uint64_t>(n) > kMaxResultBytes / s.size()) {
    return Fail(sqlstate::kProgramLimitExceeded, "requested length too large");
  }
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out += s;
  return Datum(std::move(out));
}

Result<Datum> Reverse(const CallArgs& a) {
  std::vector<std::string_view> chars = Chars(Str(a, 0));
  std::string out;
  for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
  return Datum(std::move(out));
}

Result<Datum> Initcap(const CallArgs& a) {
  std::string s = Str(a, 0);
  bool in_word = false;
  for (char& c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {  // a non-ASCII character continues (or starts) a word, unchanged
      in_word = true;
      continue;
    }
    c = static_cast<char>(in_word ? std::tolower(u) : std::toupper(u));
    in_word = std::isalnum(u) != 0;
  }
  return Datum(std::move(s));
}

Result<Datum> StartsWith(const CallArgs& a) { return Datum(Str(a, 0).starts_with(Str(a, 1))); }

Result<Datum> QuoteLiteral(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  std::string out;
  // As PostgreSQL's quote_literal_internal: a backslash makes it an E'' string.
  if (s.find('\\') != std::string::npos) out += 'E';
  out += '\'';
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  out += '\'';
  return Datum(std::move(out));
}

Result<Datum> QuoteNullable(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum(std::string("NULL"));
  return QuoteLiteral(a);
}

template <int bits>
Result<Datum> ToHex(const CallArgs& a) {
  const auto v = static_cast<uint64_t>(Int(a, 0));
  const uint64_t masked = bits == 32 ? (v & 0xFFFFFFFFu) : v;
  char buf[20];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(masked));
  return Datum(std::string(buf));
}

Result<Datum> Chr(const CallArgs& a) {
  const int64_t code = Int(a, 0);
  if (code < 0) return Fail(sqlstate::kInvalidParameterValue, "character number must be positive");
  if (code == 0) return Fail(sqlstate::kProgramLimitExceeded, "null character not permitted");
  if (code > 0x10FFFF) {
    return Fail(sqlstate::kProgramLimitExceeded,
                "requested character too large for encoding: " + std::to_string(code));
  }
  if (code >= 0xD800 && code <= 0xDFFF) {
    return Fail(sqlstate::kProgramLimitExceeded,
                "requested character not valid for encoding: " + std::to_string(code));
  }
  std::string out;
  AppendUtf8CodePoint(out, static_cast<uint32_t>(code));
  return Datum(std::move(out));
}

Result<Datum> Ascii(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  if (s.empty()) return Datum(int64_t{0});
  const auto b0 = static_cast<unsigned char>(s[0]);
  int n = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
  uint32_t c = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int i = 1; i < n && static_cast<size_t>(i) < s.size(); ++i) {
    c = (c << 6) | (static_cast<unsigned char>(s[static_cast<size_t>(i)]) & 0x3F);
  }
  return Datum(static_cast<int64_t>(c));
}

Result<Datum> CharLength(const CallArgs& a) {
  return Datum(static_cast<int64_t>(CharCount(Str(a, 0))));
}
Result<Datum> OctetLength(const CallArgs& a) {
  return Datum(static_cast<int64_t>(Str(a, 0).size()));
}
Result<Datum> BitLength(const CallArgs& a) {
  return Datum(static_cast<int64_t>(Str(a, 0).size() * 8));
}

Builtin Variadic(std::string_view name, std::initializer_list<TypeId> params, TypeId result,
                 Impl impl) {
  Builtin b = Fn(name, params, result, impl);
  b.variadic_any = true;
  b.min_variadic = 1;
  b.strict = false;
  return b;
}

// like_escape(pattern, escape): what `x LIKE pattern ESCAPE escape` matches with (the parser
// makes the pattern this call), as PostgreSQL's do_like_escape: the pattern rewritten to the
// default backslash escape. An empty escape turns escaping off (each backslash doubled); a
// backslash leaves the pattern as it is; any other single character becomes the backslash, and
// the pattern's own backslashes are doubled unless they follow that escape.
constexpr const char* kInvalidEscapeSequence = "22025";  // invalid_escape_sequence

// The bytes of the UTF-8 character that starts at s[i].
size_t CharBytes(std::string_view s, size_t i) {
  size_t n = 1;
  while (i + n < s.size() && IsContinuation(s[i + n])) ++n;
  return n;
}

Result<Datum> LikeEscape(const CallArgs& a) {
  const std::string& pattern = std::get<std::string>(a.values[0]);
  const std::string& escape = std::get<std::string>(a.values[1]);
  std::string out;
  out.reserve(pattern.size() + 8);
  if (escape.empty()) {
    for (char c : pattern) {
      if (c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    return Datum(std::move(out));
  }
  if (CharBytes(escape, 0) != escape.size()) {
    return Fail(Error(kInvalidEscapeSequence, "invalid escape string")
                    .WithHint("Escape string must be empty or one character."));
  }
  if (escape == "\\") return Datum(pattern);
  bool after_escape = false;
  for (size_t i = 0; i < pattern.size();) {
    const size_t len = CharBytes(pattern, i);
    const std::string_view c(pattern.data() + i, len);
    if (c == escape && !after_escape) {
      out.push_back('\\');
      after_escape = true;
    } else if (c == "\\") {
      out.push_back('\\');
      if (!after_escape) out.push_back('\\');
      after_escape = false;
    } else {
      out.append(c);
      after_escape = false;
    }
    i += len;
  }
  return Datum(std::move(out));
}

// overlay(s placing r from start [for count]): s with `count` of its characters (bytes for
// bytea) from `start` (1-based) replaced by r; count defaults to r's length. As PostgreSQL's
// text_overlay: the prefix before `start` is a substring of length start - 1, so start < 1 is
// 22011, and start + count must fit an int4 (22003). A negative count keeps characters before
// start + count again after r.
template <bool kBytes>
Result<Datum> Overlay(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const std::string& r = Str(a, 1);
  const int64_t start = Int(a, 2);
  const int64_t count =
      a.values.size() > 3 ? Int(a, 3) : static_cast<int64_t>(kBytes ? r.size() : CharCount(r));
  if (start <= 0) {
    return Fail(sqlstate::kSubstringError, "negative substring length not allowed");
  }
  const int64_t resume = start + count;  // both int4: no int64 overflow
  if (resume > std::numeric_limits<int32_t>::max() ||
      resume < std::numeric_limits<int32_t>::min()) {
    return Fail(sqlstate::kNumericValueOutOfRange, "integer out of range");
  }
  std::string out;
  if (kBytes) {
    const auto clip = [&](int64_t n) {
      return static_cast<size_t>(std::clamp<int64_t>(n, 0, static_cast<int64_t>(s.size())));
    };
    out = s.substr(0, clip(start - 1));
    out += r;
    out += s.substr(clip(resume - 1));
  } else {
    out = CharRange(s, 0, start - 1);
    out += r;
    out += CharRange(s, resume - 1, std::numeric_limits<int64_t>::max());
  }
  SQLRITE_TRY(CheckLength(out.size()));
  return Datum(std::move(out));
}

}  // namespace

void AddStringFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kInt4;
  using type_shorthands::kInt8;
  using type_shorthands::kText;
  out.push_back(Fn("substr", {kText, kInt4, kInt4}, kText, Substr3));
  out.push_back(Fn("substr", {kText, kInt4}, kText, Substr2));
  out.push_back(Fn("substring", {kText, kInt4, kInt4}, kText, Substr3));
  out.push_back(Fn("substring", {kText, kInt4}, kText, Substr2));
  out.push_back(Fn("strpos", {kText, kText}, kInt4, Strpos));
  // POSITION(sub IN s) reaches here as position(s, sub).
  out.push_back(Fn("position", {kText, kText}, kInt4, Strpos));
  out.push_back(Fn("replace", {kText, kText, kText}, kText, Replace));
  out.push_back(Fn("like_escape", {kText, kText}, kText, LikeEscape));
  // OVERLAY(s PLACING r FROM start [FOR count]) reaches here as overlay(s, r, start [, count]).
  using type_shorthands::kBytea;
  out.push_back(Fn("overlay", {kText, kText, kInt4, kInt4}, kText, Overlay<false>));
  out.push_back(Fn("overlay", {kText, kText, kInt4}, kText, Overlay<false>));
  out.push_back(Fn("overlay", {kBytea, kBytea, kInt4, kInt4}, kBytea, Overlay<true>));
  out.push_back(Fn("overlay", {kBytea, kBytea, kInt4}, kBytea, Overlay<true>));
  out.push_back(Fn("translate", {kText, kText, kText}, kText, Translate));
  out.push_back(Fn("btrim", {kText}, kText, Trim1<Side::kBoth>));
  out.push_back(Fn("btrim", {kText, kText}, kText, Trim2<Side::kBoth>));
  out.push_back(Fn("ltrim", {kText}, kText, Trim1<Side::kLeft>));
  out.push_back(Fn("ltrim", {kText, kText}, kText, Trim2<Side::kLeft>));
  out.push_back(Fn("rtrim", {kText}, kText, Trim1<Side::kRight>));
  out.push_back(Fn("rtrim", {kText, kText}, kText, Trim2<Side::kRight>));
  out.push_back(Fn("split_part", {kText, kText, kInt4}, kText, SplitPart));
  out.push_back(Variadic("concat", {}, kText, Concat));
  out.push_back(Variadic("concat_ws", {kText}, kText, ConcatWs));
  Builtin format = Variadic("format", {kText}, kText, Format);
  format.min_variadic = 0;  // format(text) as well
  out.push_back(format);
  out.push_back(Variadic("num_nulls", {}, kInt4, NumNulls));
  out.push_back(Variadic("num_nonnulls", {}, kInt4, NumNonNulls));
  out.push_back(Fn("left", {kText, kInt4}, kText, Left));
  out.push_back(Fn("right", {kText, kInt4}, kText, Right));
  out.push_back(Fn("lpad", {kText, kInt4}, kText, Pad2<true>));
  out.push_back(Fn("lpad", {kText, kInt4, kText}, kText, Pad3<true>));
  out.push_back(Fn("rpad", {kText, kInt4}, kText, Pad2<false>));
  out.push_back(Fn("rpad", {kText, kInt4, kText}, kText, Pad3<false>));
  out.push_back(Fn("repeat", {kText, kInt4}, kText, Repeat));
  out.push_back(Fn("reverse", {kText}, kText, Reverse));
  out.push_back(Fn("initcap", {kText}, kText, Initcap));
  out.push_back(Fn("starts_with", {kText, kText}, TypeId::kBool, StartsWith));
  out.push_back(Fn("quote_literal", {kText}, kText, QuoteLiteral));
  Builtin nullable = Fn("quote_nullable", {kText}, kText, QuoteNullable);
  nullable.strict = false;
  out.push_back(nullable);
  out.push_back(Fn("to_hex", {kInt4}, kText, ToHex<32>));
  out.push_back(Fn("to_hex", {kInt8}, kText, ToHex<64>));
  out.push_back(Fn("chr", {kInt4}, kText, Chr));
  out.push_back(Fn("ascii", {kText}, kInt4, Ascii));
  out.push_back(Fn("character_length", {kText}, kInt4, CharLength));
  out.push_back(Fn("octet_length", {kText}, kInt4, OctetLength));
  out.push_back(Fn("bit_length", {kText}, kInt4, BitLength));
}

}  // namespace sqlrite::engine::functions
