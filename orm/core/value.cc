#include "orm/core/value.h"

#include <charconv>
#include <cmath>

namespace sqlrite::orm {

Value::Value(const Value& other) = default;
Value::Value(Value&& other) noexcept = default;
Value& Value::operator=(const Value& other) = default;
Value& Value::operator=(Value&& other) noexcept = default;
Value::~Value() = default;

const char* TypeName(Type t) {
  switch (t) {
    case Type::kBool:
      return "bool";
    case Type::kInt64:
      return "int64";
    case Type::kDouble:
      return "double";
    case Type::kText:
      return "text";
  }
  return "?";
}

std::string ToSqlLiteral(const Value& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(bool b) const { return b ? "TRUE" : "FALSE"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      if (std::isnan(d)) return "'NaN'";
      if (std::isinf(d)) return d > 0 ? "'Infinity'" : "'-Infinity'";
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
      (void)ec;
      return std::string(buf, end);
    }
    std::string operator()(const std::string& s) const {
      std::string out = "'";
      for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
      }
      return out + "'";
    }
  };
  return std::visit(Visitor{}, value.v);
}

}  // namespace sqlrite::orm
