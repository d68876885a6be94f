#include "orm/field.h"

namespace sqlrite::orm {
namespace {

tl::unexpected<Error> Mismatch(const Value& v, std::string_view want, std::string_view field) {
  return Fail(sqlstate::kDatatypeMismatch, "field " + std::string(field) + " is " +
                                               std::string(want) + " but the database returned " +
                                               (v.is_null() ? "NULL" : ToSqlLiteral(v)));
}

}  // namespace

Status FromValueInto(const Value& v, bool& out, std::string_view field) {
  if (const bool* b = std::get_if<bool>(&v.v)) {
    out = *b;
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&v.v); i && (*i == 0 || *i == 1)) {
    out = *i == 1;
  } else {
    return Mismatch(v, "bool", field);
  }
  return {};
}

Status FromValueInto(const Value& v, std::int64_t& out, std::string_view field) {
  if (const std::int64_t* i = std::get_if<std::int64_t>(&v.v)) {
    out = *i;
    return {};
  }
  return Mismatch(v, "an integer", field);
}

Status FromValueInto(const Value& v, double& out, std::string_view field) {
  if (const double* d = std::get_if<double>(&v.v)) {
    out = *d;
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&v.v)) {
    out = static_cast<double>(*i);
  } else {
    return Mismatch(v, "a double", field);
  }
  return {};
}

Status FromValueInto(const Value& v, std::string& out, std::string_view field) {
  if (const std::string* s = std::get_if<std::string>(&v.v)) {
    out = *s;
    return {};
  }
  return Mismatch(v, "text", field);
}

Result<std::int64_t> FromValueInRange(const Value& v, std::int64_t min, std::int64_t max,
                                      std::string_view field) {
  std::int64_t wide = 0;
  SQLRITE_ORM_TRY(FromValueInto(v, wide, field));
  if (wide < min || wide > max) {
    return Fail("22003",
                "value " + std::to_string(wide) + " out of range for field " + std::string(field));
  }
  return wide;
}

}  // namespace sqlrite::orm
