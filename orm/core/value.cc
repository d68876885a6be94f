#include "orm/core/value.h"

#include <charconv>
#include <cmath>

#include "orm/core/temporal.h"
#include "orm/core/uuid.h"

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
    case Type::kTimestamp:
      return "timestamp";
    case Type::kDate:
      return "date";
    case Type::kDateTime:
      return "datetime";
    case Type::kUuid:
      return "uuid";
    case Type::kTime:
      return "time";
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
    std::string operator()(Timestamp t) const { return (*this)(FormatTimestamp(t)); }
    std::string operator()(Date d) const { return (*this)(FormatDate(d)); }
    std::string operator()(DateTime t) const { return (*this)(FormatDateTime(t)); }
    std::string operator()(const Uuid& u) const { return (*this)(FormatUuid(u)); }
    std::string operator()(Time t) const { return (*this)(FormatTime(t)); }
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
