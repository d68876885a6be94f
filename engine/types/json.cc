#include "engine/types/json.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "common/sqlstate.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine::json {
namespace {

// Deeper nesting is refused as PostgreSQL's check_stack_depth refuses it (every recursive walk
// here stays far inside a thread's stack at this depth).
constexpr int kMaxDepth = 1000;

enum class Token : uint8_t {
  kEnd,
  kString,
  kNumber,
  kTrue,
  kFalse,
  kNull,
  kObjectStart,
  kObjectEnd,
  kArrayStart,
  kArrayEnd,
  kComma,
  kColon
};

bool AlphaNumeric(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         u >= 0x80;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// PostgreSQL's JSON lexer and recursive-descent parser (src/common/jsonapi.c), with its error
// details, building a Value.
class Parser {
 public:
  Parser(std::string_view text, bool jsonb) : s_(text), jsonb_(jsonb) {}

  Result<Value> Run() {
    SQLRITE_TRY(Lex());
    Value v;
    SQLRITE_TRY(ParseValue(v, 0));
    if (tok_ != Token::kEnd) return Expected("Expected end of input, but found \"%\".");
    return v;
  }

 private:
  // The current token's text, for messages.
  std::string TokenText() const {
    return std::string(s_.substr(tok_start_, tok_end_ - tok_start_));
  }

  tl::unexpected<Error> SyntaxError(std::string detail) const {
    // CONTEXT: the input's line up to the end of the offending token, as report_json_context.
    size_t line_start = 0;
    int line = 1;
    for (size_t i = 0; i < tok_start_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    const size_t stop = std::min(std::max(tok_end_, line_start), s_.size());
    std::string context = "JSON data, line " + std::to_string(line) + ": " +
                          std::string(s_.substr(line_start, stop - line_start));
    return Fail(Error(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type json")
                    .WithDetail(std::move(detail))
                    .WithContext(std::move(context)));
  }

  tl::unexpected<Error> Expected(std::string_view pattern) const {
    if (tok_ == Token::kEnd) return SyntaxError("The input string ended unexpectedly.");
    std::string detail(pattern);
    const size_t at = detail.find('%');
    detail.replace(at, 1, TokenText());
    return SyntaxError(std::move(detail));
  }

  Status InvalidToken() { return SyntaxError("Token \"" + TokenText() + "\" is invalid."); }

  Status Lex() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
    tok_start_ = pos_;
    if (pos_ >= s_.size()) {
      tok_ = Token::kEnd;
      tok_end_ = pos_;
      return Ok();
    }
    const char c = s_[pos_];
    auto punct = [&](Token t) {
      tok_ = t;
      tok_end_ = ++pos_;
      return Ok();
    };
    switch (c) {
      case '{':
        return punct(Token::kObjectStart);
      case '}':
        return punct(Token::kObjectEnd);
      case '[':
        return punct(Token::kArrayStart);
      case ']':
        return punct(Token::kArrayEnd);
      case ',':
        return punct(Token::kComma);
      case ':':
        return punct(Token::kColon);
      case '"':
        return LexString();
      default:
        break;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return LexNumber();
    size_t p = pos_;
    while (p < s_.size() && AlphaNumeric(s_[p])) ++p;
    if (p == pos_) {
      tok_end_ = pos_ + 1;
      return InvalidToken();
    }
    tok_end_ = p;
    const std::string_view word = s_.substr(pos_, p - pos_);
    pos_ = p;
    if (word == "true") {
      tok_ = Token::kTrue;
    } else if (word == "false") {
      tok_ = Token::kFalse;
    } else if (word == "null") {
      tok_ = Token::kNull;
    } else {
      return InvalidToken();
    }
    return Ok();
  }

  Status LexNumber() {
    size_t p = pos_;
    bool error = false;
    auto digit = [&](size_t i) { return i < s_.size() && s_[i] >= '0' && s_[i] <= '9'; };
    if (s_[p] == '-') ++p;
    if (p < s_.size() && s_[p] == '0') {
      ++p;
    } else if (digit(p)) {
      while (digit(p)) ++p;
    } else {
      error = true;
    }
    if (!error && p < s_.size() && s_[p] == '.') {
      ++p;
      if (!digit(p)) {
        error = true;
      } else {
        while (digit(p)) ++p;
      }
    }
    if (!error && p < s_.size() && (s_[p] == 'e' || s_[p] == 'E')) {
      ++p;
      if (p < s_.size() && (s_[p] == '+' || s_[p] == '-')) ++p;
      if (!digit(p)) {
        error = true;
      } else {
        while (digit(p)) ++p;
      }
    }
    while (p < s_.size() && AlphaNumeric(s_[p])) {
      ++p;
      error = true;
    }
    tok_end_ = p;
    pos_ = p;
    if (error) return InvalidToken();
    tok_ = Token::kNumber;
    return Ok();
  }

  Status LexString() {
    size_t p = pos_ + 1;
    str_.clear();
    int hi_surrogate = -1;
    // A misplaced surrogate: an error where the string is decoded (jsonb), while json's input
    // check lets it pass as PostgreSQL's does (the surrogate is kept as its own code point).
    auto surrogate_error = [&](size_t at, const char* detail) -> Status {
      if (jsonb_) {
        tok_end_ = at;
        return SyntaxError(detail);
      }
      if (hi_surrogate != -1) AppendUtf8(str_, static_cast<uint32_t>(hi_surrogate));
      hi_surrogate = -1;
      return Ok();
    };
    auto low_surrogate_error = [&](size_t at) {
      return surrogate_error(at, "Unicode low surrogate must follow a high surrogate.");
    };
    for (;;) {
      if (p >= s_.size()) {
        tok_end_ = s_.size();
        return InvalidToken();
      }
      const char c = s_[p];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) {
        tok_end_ = p;
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(c));
        return SyntaxError(std::string("Character with value ") + buf + " must be escaped.");
      }
      if (c != '\\') {
        if (hi_surrogate != -1) SQLRITE_TRY(low_surrogate_error(p));
        str_.push_back(c);
        ++p;
        continue;
      }
      ++p;
      if (p >= s_.size()) {
        tok_end_ = s_.size();
        return InvalidToken();
      }
      const char e = s_[p];
      if (e == 'u') {
        uint32_t ch = 0;
        for (int i = 1; i <= 4; ++i) {
          const size_t at = p + static_cast<size_t>(i);
          const char h = at < s_.size() ? s_[at] : '\0';
          uint32_t d;
          if (h >= '0' && h <= '9') {
            d = static_cast<uint32_t>(h - '0');
          } else if (h >= 'a' && h <= 'f') {
            d = static_cast<uint32_t>(h - 'a' + 10);
          } else if (h >= 'A' && h <= 'F') {
            d = static_cast<uint32_t>(h - 'A' + 10);
          } else {
            tok_end_ = std::min(at + 1, s_.size());
            return SyntaxError("\"\\u\" must be followed by four hexadecimal digits.");
          }
          ch = ch * 16 + d;
        }
        p += 5;
        if (ch >= 0xD800 && ch <= 0xDBFF) {
          if (hi_surrogate != -1) {
            SQLRITE_TRY(
                surrogate_error(p, "Unicode high surrogate must not follow a high surrogate."));
          }
          hi_surrogate = static_cast<int>(ch);
          continue;
        }
        if (ch >= 0xDC00 && ch <= 0xDFFF) {
          if (hi_surrogate == -1) {
            SQLRITE_TRY(low_surrogate_error(p));  // json: the lone low surrogate is kept
          } else {
            ch = 0x10000 + ((static_cast<uint32_t>(hi_surrogate) - 0xD800) << 10) + (ch - 0xDC00);
            hi_surrogate = -1;
          }
        }
        if (hi_surrogate != -1) SQLRITE_TRY(low_surrogate_error(p));
        if (ch == 0 && jsonb_) {
          return Fail(
              Error(sqlstate::kUntranslatableCharacter, "unsupported Unicode escape sequence")
                  .WithDetail("\\u0000 cannot be converted to text."));
        }
        AppendUtf8(str_, ch);
        continue;
      }
      if (hi_surrogate != -1) SQLRITE_TRY(low_surrogate_error(p));
      switch (e) {
        case '"':
        case '\\':
        case '/':
          str_.push_back(e);
          break;
        case 'b':
          str_.push_back('\b');
          break;
        case 'f':
          str_.push_back('\f');
          break;
        case 'n':
          str_.push_back('\n');
          break;
        case 'r':
          str_.push_back('\r');
          break;
        case 't':
          str_.push_back('\t');
          break;
        default: {
          // Only the escape itself is reported, one character (a UTF-8 sequence whole).
          size_t n = 1;
          const auto u = static_cast<unsigned char>(e);
          if (u >= 0xF0) {
            n = 4;
          } else if (u >= 0xE0) {
            n = 3;
          } else if (u >= 0xC0) {
            n = 2;
          }
          return SyntaxError("Escape sequence \"\\" + std::string(s_.substr(p, n)) +
                             "\" is invalid.");
        }
      }
      ++p;
    }
    if (hi_surrogate != -1) SQLRITE_TRY(low_surrogate_error(p));
    tok_ = Token::kString;
    tok_end_ = p + 1;
    pos_ = p + 1;
    return Ok();
  }

  // The recursive descent writes into the caller's Value and keeps its frames small (every
  // temporary of the scalar and error paths lives in the helpers): nesting is bounded by
  // kMaxDepth, and each level costs these two frames.
  Status TooDeep() const {
    return Fail(Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
                    .WithHint("Increase the configuration parameter \"max_stack_depth\" "
                              "(currently 2048kB), after ensuring the platform's stack depth "
                              "limit is adequate."));
  }

  Status ParseScalar(Value& v) {
    switch (tok_) {
      case Token::kString:
        v.kind = Value::Kind::kString;
        v.text = std::move(str_);
        break;
      case Token::kNumber: {
        v.kind = Value::Kind::kNumber;
        const std::string_view t = s_.substr(tok_start_, tok_end_ - tok_start_);
        if (jsonb_) {
          SQLRITE_ASSIGN_OR_RETURN(Numeric n, Numeric::Parse(t));
          v.text = n.ToString();
        } else {
          v.text = std::string(t);
        }
        break;
      }
      case Token::kTrue:
      case Token::kFalse:
        v.kind = Value::Kind::kBool;
        v.boolean = tok_ == Token::kTrue;
        break;
      case Token::kNull:
        break;
      default:
        return Expected("Expected JSON value, but found \"%\".");
    }
    v.end = tok_end_;
    return Lex();
  }

  Status ParseValue(Value& v, int depth) {
    if (depth > kMaxDepth) return TooDeep();
    v.begin = tok_start_;
    if (tok_ == Token::kObjectStart) return ParseObject(v, depth);
    if (tok_ == Token::kArrayStart) return ParseArray(v, depth);
    return ParseScalar(v);
  }

  Status ParseObject(Value& v, int depth) {
    v.kind = Value::Kind::kObject;
    SQLRITE_TRY(Lex());
    if (tok_ == Token::kObjectEnd) {
      v.end = tok_end_;
      return Lex();
    }
    if (tok_ != Token::kString) return Expected("Expected string or \"}\", but found \"%\".");
    for (;;) {
      if (tok_ != Token::kString) return Expected("Expected string, but found \"%\".");
      v.keys.push_back(std::move(str_));
      SQLRITE_TRY(Lex());
      if (tok_ != Token::kColon) return Expected("Expected \":\", but found \"%\".");
      SQLRITE_TRY(Lex());
      v.items.emplace_back();
      SQLRITE_TRY(ParseValue(v.items.back(), depth + 1));
      if (tok_ != Token::kComma) break;
      SQLRITE_TRY(Lex());
    }
    if (tok_ != Token::kObjectEnd) return Expected("Expected \",\" or \"}\", but found \"%\".");
    v.end = tok_end_;
    if (jsonb_) NormalizeObject(v);
    return Lex();
  }

  Status ParseArray(Value& v, int depth) {
    v.kind = Value::Kind::kArray;
    SQLRITE_TRY(Lex());
    if (tok_ != Token::kArrayEnd) {
      for (;;) {
        v.items.emplace_back();
        SQLRITE_TRY(ParseValue(v.items.back(), depth + 1));
        if (tok_ != Token::kComma) break;
        SQLRITE_TRY(Lex());
      }
      if (tok_ != Token::kArrayEnd) return Expected("Expected \",\" or \"]\", but found \"%\".");
    }
    v.end = tok_end_;
    return Lex();
  }

  std::string_view s_;
  bool jsonb_;
  size_t pos_ = 0;
  Token tok_ = Token::kEnd;
  size_t tok_start_ = 0, tok_end_ = 0;
  std::string str_;  // the current string token's decoded text
};

bool KeyLess(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

void AppendTextAt(std::string& out, const Value& v, int indent) {
  auto newline = [&](int level) {
    out.push_back('\n');
    out.append(static_cast<size_t>(level) * 4, ' ');
  };
  switch (v.kind) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.boolean ? "true" : "false";
      return;
    case Value::Kind::kNumber:
      out += v.text;
      return;
    case Value::Kind::kString:
      AppendQuoted(out, v.text);
      return;
    case Value::Kind::kArray:
      out.push_back('[');
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += indent >= 0 ? "," : ", ";
        if (indent >= 0) newline(indent + 1);
        AppendTextAt(out, v.items[i], indent >= 0 ? indent + 1 : -1);
      }
      if (indent >= 0) newline(indent);
      out.push_back(']');
      return;
    case Value::Kind::kObject:
      out.push_back('{');
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += indent >= 0 ? "," : ", ";
        if (indent >= 0) newline(indent + 1);
        AppendQuoted(out, v.keys[i]);
        out += ": ";
        AppendTextAt(out, v.items[i], indent >= 0 ? indent + 1 : -1);
      }
      if (indent >= 0) newline(indent);
      out.push_back('}');
      return;
  }
}

void AppendKeyString(std::string& out, std::string_view s) {
  for (char c : s) {
    out.push_back(c);
    if (c == '\0') out.push_back('\xff');
  }
  out.push_back('\0');
  out.push_back('\x01');
}

void AppendCount(std::string& out, size_t n) {
  const auto v = static_cast<uint32_t>(n);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

void AppendKeyAt(std::string& out, const Value& v, bool top) {
  switch (v.kind) {
    case Value::Kind::kArray:
      out.push_back('\x10');
      AppendCount(out, v.items.size());
      out.push_back('\x01');  // not a raw scalar: after one of the same count
      for (const Value& item : v.items) AppendKeyAt(out, item, false);
      return;
    case Value::Kind::kObject:
      out.push_back('\x11');
      AppendCount(out, v.items.size());
      for (size_t i = 0; i < v.items.size(); ++i) {
        AppendKeyString(out, v.keys[i]);
        AppendKeyAt(out, v.items[i], false);
      }
      return;
    default:
      break;
  }
  if (top) {
    // A top-level scalar is PostgreSQL's raw-scalar pseudo array of one element: it sorts
    // among the arrays by its count, before a real array of one.
    out.push_back('\x10');
    AppendCount(out, 1);
    out.push_back('\x00');
  }
  out.push_back(static_cast<char>(1 + static_cast<int>(v.kind)));
  switch (v.kind) {
    case Value::Kind::kString:
      AppendKeyString(out, v.text);
      return;
    case Value::Kind::kNumber: {
      auto n = Numeric::Parse(v.text);
      (n ? *n : Numeric::FromInt64(0)).AppendKey(out);
      return;
    }
    case Value::Kind::kBool:
      out.push_back(v.boolean ? '\x01' : '\x00');
      return;
    default:
      return;
  }
}

bool ScalarEqual(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.boolean == b.boolean;
    case Value::Kind::kString:
      return a.text == b.text;
    case Value::Kind::kNumber: {
      auto x = Numeric::Parse(a.text), y = Numeric::Parse(b.text);
      return x && y && Numeric::Compare(*x, *y) == 0;
    }
    default:
      return false;
  }
}

bool IsScalar(const Value& v) {
  return v.kind != Value::Kind::kArray && v.kind != Value::Kind::kObject;
}

// JsonbDeepContains over two containers of the same kind.
bool DeepContains(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Value::Kind::kObject) {
    if (a.items.size() < b.items.size()) return false;
    for (size_t i = 0; i < b.items.size(); ++i) {
      const Value* lhs = a.Find(b.keys[i]);
      if (lhs == nullptr) return false;
      const Value& rhs = b.items[i];
      if (IsScalar(*lhs) || IsScalar(rhs)) {
        if (!ScalarEqual(*lhs, rhs)) return false;
      } else if (!DeepContains(*lhs, rhs)) {
        return false;
      }
    }
    return true;
  }
  for (const Value& rhs : b.items) {
    bool found = false;
    for (const Value& lhs : a.items) {
      if (IsScalar(rhs) ? ScalarEqual(lhs, rhs) : (!IsScalar(lhs) && DeepContains(lhs, rhs))) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

Value Value::String(std::string s) {
  Value v;
  v.kind = Kind::kString;
  v.text = std::move(s);
  return v;
}
Value Value::Number(std::string text) {
  Value v;
  v.kind = Kind::kNumber;
  v.text = std::move(text);
  return v;
}
Value Value::Bool(bool b) {
  Value v;
  v.kind = Kind::kBool;
  v.boolean = b;
  return v;
}
Value Value::Array(std::vector<Value> items) {
  Value v;
  v.kind = Kind::kArray;
  v.items = std::move(items);
  return v;
}
Value Value::Object() {
  Value v;
  v.kind = Kind::kObject;
  return v;
}

const Value* Value::Find(std::string_view key) const {
  if (kind != Kind::kObject) return nullptr;
  for (size_t i = keys.size(); i-- > 0;) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

Result<Value> Parse(std::string_view text, bool jsonb) { return Parser(text, jsonb).Run(); }

Status Validate(std::string_view text) {
  SQLRITE_TRY(Parse(text, false));
  return Ok();
}

void NormalizeObject(Value& v) {
  if (v.kind != Value::Kind::kObject || v.keys.empty()) return;
  std::vector<size_t> order(v.keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Stable: of equal keys the later one stays last, and is the one kept.
  std::stable_sort(order.begin(), order.end(),
                   [&v](size_t a, size_t b) { return KeyLess(v.keys[a], v.keys[b]); });
  std::vector<std::string> keys;
  std::vector<Value> items;
  keys.reserve(order.size());
  items.reserve(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    if (i + 1 < order.size() && v.keys[order[i]] == v.keys[order[i + 1]]) continue;
    keys.push_back(std::move(v.keys[order[i]]));
    items.push_back(std::move(v.items[order[i]]));
  }
  v.keys = std::move(keys);
  v.items = std::move(items);
}

void Normalize(Value& v) {
  for (Value& item : v.items) Normalize(item);
  NormalizeObject(v);
}

void AppendQuoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendText(std::string& out, const Value& v) { AppendTextAt(out, v, -1); }

std::string ToText(const Value& v) {
  std::string out;
  AppendText(out, v);
  return out;
}

std::string ToPretty(const Value& v) {
  std::string out;
  AppendTextAt(out, v, 0);
  return out;
}

std::string AsText(const Value& v) {
  if (v.kind == Value::Kind::kString) return v.text;
  return ToText(v);
}

int Compare(const Value& a, const Value& b) {
  std::string x, y;
  AppendKey(x, a);
  AppendKey(y, b);
  const int c = x.compare(y);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool Contains(const Value& a, const Value& b) {
  // jsonb_contains: an object contains only objects; a top-level scalar is a one-element array
  // (a raw scalar), which contains only the same scalar, while an array may contain a scalar.
  const bool a_object = a.kind == Value::Kind::kObject, b_object = b.kind == Value::Kind::kObject;
  if (a_object != b_object) return false;
  if (a_object) return DeepContains(a, b);
  if (IsScalar(a)) return IsScalar(b) && ScalarEqual(a, b);
  const Value b_array = IsScalar(b) ? Value::Array({b}) : b;
  return DeepContains(a, b_array);
}

void AppendKey(std::string& out, const Value& v) { AppendKeyAt(out, v, true); }

std::string_view TypeName(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kObject:
      return "object";
    case Value::Kind::kArray:
      return "array";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kNumber:
      return "number";
    case Value::Kind::kBool:
      return "boolean";
    case Value::Kind::kNull:
      return "null";
  }
  return "null";
}

Result<Value> FromJsonb(std::string_view text) { return Parse(text, false); }

}  // namespace sqlrite::engine::json
