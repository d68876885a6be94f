#include "engine/functions/format.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "common/sqlstate.h"
#include "engine/catalog/system_relation.h"
#include "engine/expression.h"

namespace sqlrite::engine::functions {
namespace {

Error Unterminated() {
  return Error(sqlstate::kInvalidParameterValue, "unterminated format() type specifier")
      .WithHint("For a single \"%\" use \"%%\".");
}
Error ArgumentZero() {
  return Error(sqlstate::kInvalidParameterValue,
               "format specifies argument 0, but arguments are numbered from 1");
}
Error TooFewArguments() {
  return Error(sqlstate::kInvalidParameterValue, "too few arguments for format()");
}

// The bytes of the UTF-8 character starting at s[i] (within s).
size_t CharBytes(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return n <= s.size() - i ? n : s.size() - i;
}

size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// quote_literal's text: quotes doubled; with a backslash, an E'' string whose backslashes are
// doubled too.
std::string QuoteLiteral(std::string_view s) {
  std::string out;
  if (s.find('\\') != std::string_view::npos) out += 'E';
  out += '\'';
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  out += '\'';
  return out;
}

// The format string being read. As PostgreSQL's parser, every step past the current character
// must find another one before the end (else "unterminated"), so at() is always in range.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool AtEnd() const { return i_ >= s_.size(); }
  char at() const { return s_[i_]; }
  size_t pos() const { return i_; }
  std::string_view text() const { return s_; }
  // PostgreSQL's ADVANCE_PARSE_POINTER.
  Status Advance() {
    if (++i_ >= s_.size()) return Fail(Unterminated());
    return Ok();
  }
  void Step() { ++i_; }
  // Digits at the cursor as a number; found: whether there were any. 22003 past INT32_MAX.
  Result<bool> Digits(int32_t& value) {
    bool found = false;
    int64_t v = 0;
    while (at() >= '0' && at() <= '9') {
      v = v * 10 + (at() - '0');
      if (v > std::numeric_limits<int32_t>::max()) {
        return Fail(sqlstate::kNumericValueOutOfRange, "number is out of range");
      }
      SQLRITE_TRY(Advance());
      found = true;
    }
    value = static_cast<int32_t>(v);
    return found;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// [argpos$][flags][width | * | *argpos$], as text_format_parse_format; the cursor is left on
// the type character. argpos -1: unspecified; widthpos -1: no width argument, 0: the next one.
struct Spec {
  int32_t argpos = -1;
  int32_t widthpos = -1;
  bool minus = false;
  int32_t width = 0;
};
Result<Spec> ParseSpec(Cursor& c) {
  Spec spec;
  int32_t n = 0;
  SQLRITE_ASSIGN_OR_RETURN(bool number, c.Digits(n));
  if (number) {
    if (c.at() != '$') {
      spec.width = n;
      return spec;
    }
    spec.argpos = n;
    if (n == 0) return Fail(ArgumentZero());
    SQLRITE_TRY(c.Advance());
  }
  while (c.at() == '-') {
    spec.minus = true;
    SQLRITE_TRY(c.Advance());
  }
  if (c.at() == '*') {
    SQLRITE_TRY(c.Advance());
    SQLRITE_ASSIGN_OR_RETURN(bool position, c.Digits(n));
    if (position) {
      if (c.at() != '$') {
        return Fail(sqlstate::kInvalidParameterValue,
                    "width argument position must be ended by \"$\"");
      }
      spec.widthpos = n;
      if (n == 0) return Fail(ArgumentZero());
      SQLRITE_TRY(c.Advance());
    } else {
      spec.widthpos = 0;
    }
  } else {
    SQLRITE_ASSIGN_OR_RETURN(bool width, c.Digits(n));
    if (width) spec.width = n;
  }
  return spec;
}

TypeId ArgType(const CallArgs& a, size_t i) {
  return a.types[i].id == TypeId::kUnknown ? TypeId::kText : a.types[i].id;
}

// A width argument's value: NULL is 0; other types than int2/int4 through their text, read as
// an integer (PostgreSQL's pg_strtoint32, with int4's input errors).
Result<int32_t> WidthOf(const CallArgs& a, size_t i) {
  if (IsNull(a.values[i])) return 0;
  const TypeId type = ArgType(a, i);
  if (type == TypeId::kInt2 || type == TypeId::kInt4) {
    return static_cast<int32_t>(DatumAs<int64_t>(a.values[i]));
  }
  std::string text;
  AppendText(text, a.values[i], type);
  SQLRITE_ASSIGN_OR_RETURN(Datum v, ParseText(text, SqlType{TypeId::kInt4, -1}));
  return static_cast<int32_t>(DatumAs<int64_t>(v));
}

// Appends s padded to width characters (negative: left-aligned, as the - flag).
Status AppendPadded(std::string& out, std::string_view s, bool minus, int32_t width) {
  if (width == 0) {
    out += s;
    return Ok();
  }
  bool left = minus;
  int64_t w = width;
  if (w < 0) {
    if (w <= std::numeric_limits<int32_t>::min()) {
      return Fail(sqlstate::kProgramLimitExceeded, "number is out of range");
    }
    left = true;
    w = -w;
  }
  const auto len = static_cast<int64_t>(CharCount(s));
  const size_t pad = len < w ? static_cast<size_t>(w - len) : 0;
  if (!left) out.append(pad, ' ');
  out += s;
  if (left) out.append(pad, ' ');
  return Ok();
}

}  // namespace

Result<Datum> Format(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum{};
  const size_t nargs = a.values.size();
  Cursor c(DatumAs<std::string>(a.values[0]));
  std::string out;
  size_t arg = 1;  // the next argument to print
  for (; !c.AtEnd(); c.Step()) {
    if (c.at() != '%') {
      out += c.at();
      continue;
    }
    SQLRITE_TRY(c.Advance());
    if (c.at() == '%') {
      out += '%';
      continue;
    }
    SQLRITE_ASSIGN_OR_RETURN(Spec spec, ParseSpec(c));
    const char type = c.at();
    if (type != 's' && type != 'I' && type != 'L') {
      // Checked before any argument is fetched, as PostgreSQL, for the least confusing error.
      return Fail(Error(sqlstate::kInvalidParameterValue,
                        "unrecognized format() type specifier \"" +
                            std::string(c.text().substr(c.pos(), CharBytes(c.text(), c.pos()))) +
                            "\"")
                      .WithHint("For a single \"%\" use \"%%\"."));
    }
    int32_t width = spec.width;
    if (spec.widthpos >= 0) {
      if (spec.widthpos > 0) arg = static_cast<size_t>(spec.widthpos);
      if (arg >= nargs) return Fail(TooFewArguments());
      SQLRITE_ASSIGN_OR_RETURN(width, WidthOf(a, arg));
      ++arg;
    }
    if (spec.argpos > 0) arg = static_cast<size_t>(spec.argpos);
    if (arg >= nargs) return Fail(TooFewArguments());
    const Datum& value = a.values[arg];
    const TypeId value_type = ArgType(a, arg);
    ++arg;
    if (IsNull(value)) {
      if (type == 'I') {
        return Fail(sqlstate::kNullValueNotAllowed,
                    "null values cannot be formatted as an SQL identifier");
      }
      SQLRITE_TRY(AppendPadded(out, type == 'L' ? "NULL" : "", spec.minus, width));
      continue;
    }
    std::string text;
    AppendText(text, value, value_type);
    if (type == 'I') {
      text = catalog::QuoteIdent(text);
    } else if (type == 'L') {
      text = QuoteLiteral(text);
    }
    SQLRITE_TRY(AppendPadded(out, text, spec.minus, width));
  }
  return Datum(std::move(out));
}

}  // namespace sqlrite::engine::functions
