// String functions of PostgreSQL 15 that the first string family (string_functions.cc) lacks:
// btrim / ltrim / rtrim of bytea, parse_ident, unistr, and quote_literal / quote_nullable of
// any type (its text form quoted), convert_from / convert_to (UTF8 and LATIN1). Registered after
// every other family, so that the pg_proc oids of those stay as they were.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/sqlstate.h"
#include "engine/copy_format.h"
#include "engine/functions/arg_shorthands.h"
#include "engine/functions/builtin.h"
#include "engine/functions/utf8_append.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

using arg_shorthands::Str;

// byteatrim and friends: the bytes of the first argument with those in the second removed from
// the start (kLeft), the end (kRight) or both.
enum class TrimSide { kBoth, kLeft, kRight };
template <TrimSide kSide>
Result<Datum> TrimBytes(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const std::string& set = Str(a, 1);
  size_t begin = 0, end = s.size();
  if (kSide != TrimSide::kRight) {
    while (begin < end && set.find(s[begin]) != std::string::npos) ++begin;
  }
  if (kSide != TrimSide::kLeft) {
    while (end > begin && set.find(s[end - 1]) != std::string::npos) --end;
  }
  return Datum(s.substr(begin, end - begin));
}

Error NotIdentifier(const std::string& s, std::string detail = {}) {
  Error e(sqlstate::kInvalidParameterValue, "string is not a valid identifier: \"" + s + "\"");
  if (!detail.empty()) e.detail = std::move(detail);
  return e;
}

bool IsSpace(char c) {  // scanner_isspace
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IdentStart(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || u == '_' || u >= 0x80;
}
bool IdentCont(char c) { return IdentStart(c) || (c >= '0' && c <= '9') || c == '$'; }

// parse_ident(qualified_identifier [, strict]): the names of a dotted identifier, quoted parts
// as written (a doubled quote one quote), bare parts in lower case (ASCII). With strict (the
// default) anything after the last name is an error; without it, ignored.
Result<Datum> ParseIdent(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  const bool strict = a.values.size() < 2 || DatumAs<bool>(a.values[1]);
  std::vector<Datum> parts;
  size_t i = 0;
  auto at = [&](size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (IsSpace(at(i))) ++i;
  bool after_dot = false;
  for (;;) {
    bool missing = true;
    if (at(i) == '"') {
      std::string name;
      size_t k = i + 1;
      for (;;) {
        const size_t q = s.find('"', k);
        if (q == std::string::npos) {
          return Fail(NotIdentifier(s, "String has unclosed double quotes."));
        }
        name += s.substr(k, q - k);
        if (at(q + 1) != '"') {
          i = q + 1;
          break;
        }
        name += '"';
        k = q + 2;
      }
      if (name.empty()) return Fail(NotIdentifier(s, "Quoted identifier must not be empty."));
      parts.emplace_back(std::move(name));
      missing = false;
    } else if (IdentStart(at(i))) {
      const size_t start = i++;
      while (IdentCont(at(i))) ++i;
      std::string name = s.substr(start, i - start);
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      parts.emplace_back(std::move(name));
      missing = false;
    }
    if (missing) {
      if (at(i) == '.') return Fail(NotIdentifier(s, "No valid identifier before \".\"."));
      if (after_dot) return Fail(NotIdentifier(s, "No valid identifier after \".\"."));
      return Fail(NotIdentifier(s));
    }
    while (IsSpace(at(i))) ++i;
    if (at(i) == '.') {
      after_dot = true;
      ++i;
      while (IsSpace(at(i))) ++i;
    } else if (i >= s.size()) {
      break;
    } else {
      if (strict) return Fail(NotIdentifier(s));
      break;
    }
  }
  return ArrayDatum(TypeId::kText, std::move(parts));
}

void AppendUtf8(std::string& out, uint32_t c) { AppendUtf8CodePoint(out, c); }

bool HexDigits(std::string_view s, size_t at, size_t n, uint32_t& value) {
  if (at + n > s.size()) return false;
  value = 0;
  for (size_t k = at; k < at + n; ++k) {
    const char c = s[k];
    uint32_t d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    value = value * 16 + d;
  }
  return true;
}

// unistr(text): \XXXX, \+XXXXXX, \uXXXX and \UXXXXXXXX replaced by their code points (UTF-16
// surrogate pairs joined), \\ by one backslash; errors as PostgreSQL 15's.
Result<Datum> Unistr(const CallArgs& a) {
  const std::string& s = Str(a, 0);
  std::string out;
  uint32_t pair_first = 0;
  const Error bad_pair(sqlstate::kSyntaxError, "invalid Unicode surrogate pair");
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '\\') {
      if (pair_first != 0) return Fail(bad_pair);
      out.push_back(s[i++]);
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '\\') {
      if (pair_first != 0) return Fail(bad_pair);
      out.push_back('\\');
      i += 2;
      continue;
    }
    uint32_t c = 0;
    size_t width = 0, skip = 0;
    if (HexDigits(s, i + 1, 4, c)) {
      width = 4;
      skip = 5;
    } else if (i + 1 < s.size() && s[i + 1] == 'u' && HexDigits(s, i + 2, 4, c)) {
      width = 4;
      skip = 6;
    } else if (i + 1 < s.size() && s[i + 1] == '+' && HexDigits(s, i + 2, 6, c)) {
      width = 6;
      skip = 8;
    } else if (i + 1 < s.size() && s[i + 1] == 'U' && HexDigits(s, i + 2, 8, c)) {
      width = 8;
      skip = 10;
    } else {
      return Fail(Error(sqlstate::kSyntaxError, "invalid Unicode escape")
                      .WithHint("Unicode escapes must be \\XXXX, \\+XXXXXX, \\uXXXX, or "
                                "\\UXXXXXXXX."));
    }
    if (c == 0 || c > 0x10FFFF) {
      char hex[16];
      std::snprintf(hex, sizeof(hex), "%0*X", static_cast<int>(width), c);
      return Fail(sqlstate::kInvalidParameterValue,
                  std::string("invalid Unicode code point: ") + hex);
    }
    const bool first = c >= 0xD800 && c <= 0xDBFF;
    const bool second = c >= 0xDC00 && c <= 0xDFFF;
    if (pair_first != 0) {
      if (!second) return Fail(bad_pair);
      c = ((pair_first & 0x3FF) << 10) + (c & 0x3FF) + 0x10000;
      pair_first = 0;
    } else if (second) {
      return Fail(bad_pair);
    }
    if (first) {
      pair_first = c;
    } else {
      AppendUtf8(out, c);
    }
    i += skip;
  }
  if (pair_first != 0) return Fail(bad_pair);
  return Datum(std::move(out));
}

// quote_literal(anyelement): the value's text form, quoted as quote_literal(text) quotes.
std::string Quoted(const std::string& s) {
  std::string out;
  if (s.find('\\') != std::string::npos) out += 'E';
  out += '\'';
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  out += '\'';
  return out;
}

Result<Datum> QuoteAny(const CallArgs& a) {
  std::string text;
  AppendText(text, a.values[0], a.types[0].id);
  return Datum(Quoted(text));
}

Result<Datum> QuoteNullableAny(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum(std::string("NULL"));
  return QuoteAny(a);
}

// The encodings convert_from / convert_to know: the database's (UTF8) and LATIN1, whose bytes
// are the first 256 code points. PostgreSQL's names match ignoring case and non-alphanumerics
// (clean_encoding_name); any other encoding PostgreSQL has is 0A000 here.
enum class Encoding { kUtf8, kLatin1 };
Result<Encoding> FindEncoding(const std::string& written, const char* which) {
  std::string name;
  for (char c : written) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (name == "utf8" || name == "unicode") return Encoding::kUtf8;
  if (name == "latin1" || name == "iso88591") return Encoding::kLatin1;
  static constexpr std::string_view kOthers[] = {
      "sqlascii", "latin2",   "latin3",  "latin4",  "latin5",  "latin6",        "latin7",
      "latin8",   "latin9",   "latin10", "win1250", "win1251", "win1252",       "win1253",
      "win1254",  "win1255",  "win1256", "win1257", "win1258", "win866",        "win874",
      "koi8r",    "koi8u",    "eucjp",   "euccn",   "euckr",   "euctw",         "sjis",
      "big5",     "gbk",      "gb18030", "uhc",     "johab",   "mulecinternal", "iso88595",
      "iso88596", "iso88597", "iso88598"};
  for (std::string_view other : kOthers) {
    if (name == other) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "conversion from or to encoding \"" + written + "\" is not supported yet");
    }
  }
  return Fail(sqlstate::kInvalidParameterValue,
              std::string("invalid ") + which + " encoding name \"" + written + "\"");
}

// convert_from(bytes, src_encoding): bytes in that encoding as text (UTF8: checked, 22021).
Result<Datum> ConvertFrom(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Encoding from, FindEncoding(Str(a, 1), "source"));
  const std::string& bytes = Str(a, 0);
  if (from == Encoding::kUtf8) {
    SQLRITE_TRY(CheckCopyUtf8(bytes));
    return Datum(bytes);
  }
  std::string out;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b == 0) {
      return Fail(sqlstate::kCharacterNotInRepertoire,
                  "invalid byte sequence for encoding \"LATIN1\": 0x00");
    }
    AppendUtf8CodePoint(out, b);
  }
  return Datum(std::move(out));
}

// convert_to(string, dest_encoding): the text's bytes in that encoding (22P05 for a character
// LATIN1 lacks).
Result<Datum> ConvertTo(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Encoding to, FindEncoding(Str(a, 1), "destination"));
  const std::string& text = Str(a, 0);
  if (to == Encoding::kUtf8) return Datum(text);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    size_t n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    n = std::min(n, text.size() - i);
    uint32_t cp = n == 1 ? b : b & (0xff >> (n + 1));
    for (size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
    if (cp > 0xff) {
      std::string bytes;
      for (size_t k = 0; k < n; ++k) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "%s0x%02x", k == 0 ? "" : " ",
                      static_cast<unsigned char>(text[i + k]));
        bytes += buf;
      }
      return Fail("22P05", "character with byte sequence " + bytes +
                               " in encoding \"UTF8\" has no equivalent in encoding \"LATIN1\"");
    }
    out.push_back(static_cast<char>(cp));
    i += n;
  }
  return Datum(std::move(out));
}

}  // namespace

void AddMoreStringFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kBytea;
  using type_shorthands::kText;
  out.push_back(Fn("btrim", {kBytea, kBytea}, kBytea, TrimBytes<TrimSide::kBoth>));
  out.push_back(Fn("ltrim", {kBytea, kBytea}, kBytea, TrimBytes<TrimSide::kLeft>));
  out.push_back(Fn("rtrim", {kBytea, kBytea}, kBytea, TrimBytes<TrimSide::kRight>));
  for (Builtin b : {Fn("parse_ident", {kText}, TypeId::kArray, ParseIdent),
                    Fn("parse_ident", {kText, TypeId::kBool}, TypeId::kArray, ParseIdent)}) {
    b.result_elem = kText;
    out.push_back(b);
  }
  out.push_back(Fn("unistr", {kText}, kText, Unistr));
  out.push_back(Fn("quote_literal", {TypeId::kAnyElement}, kText, QuoteAny));
  out.push_back(Fn("quote_literal", {TypeId::kAnyArray}, kText, QuoteAny));
  Builtin nullable = Fn("quote_nullable", {TypeId::kAnyElement}, kText, QuoteNullableAny);
  nullable.strict = false;
  out.push_back(nullable);
  nullable.params[0] = TypeId::kAnyArray;
  out.push_back(nullable);
  out.push_back(Fn("convert_from", {kBytea, TypeId::kName}, kText, ConvertFrom));
  out.push_back(Fn("convert_to", {kText, TypeId::kName}, kBytea, ConvertTo));
}

}  // namespace sqlrite::engine::functions
