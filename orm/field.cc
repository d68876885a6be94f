#include "orm/field.h"

#include "orm/core/temporal.h"
#include "orm/core/uuid.h"

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

namespace {

// A typed value as it is, or the text of one parsed by `parse`.
template <typename T, typename Parse>
Status Typed(const Value& v, T& out, std::string_view want, std::string_view field, Parse parse) {
  if (const T* t = std::get_if<T>(&v.v)) {
    out = *t;
    return {};
  }
  if (const std::string* s = std::get_if<std::string>(&v.v)) {
    auto parsed = parse(*s);
    if (!parsed) {
      return Fail(parsed.error().sqlstate,
                  "field " + std::string(field) + ": " + parsed.error().message);
    }
    out = *parsed;
    return {};
  }
  return Mismatch(v, want, field);
}

}  // namespace

Status FromValueInto(const Value& v, Timestamp& out, std::string_view field) {
  return Typed(v, out, "a timestamp", field, ParseTimestamp);
}
Status FromValueInto(const Value& v, Date& out, std::string_view field) {
  return Typed(v, out, "a date", field, ParseDate);
}
Status FromValueInto(const Value& v, DateTime& out, std::string_view field) {
  return Typed(v, out, "a datetime", field, ParseDateTime);
}
Status FromValueInto(const Value& v, Uuid& out, std::string_view field) {
  return Typed(v, out, "a uuid", field, ParseUuid);
}
Status FromValueInto(const Value& v, Time& out, std::string_view field) {
  return Typed(v, out, "a time", field, ParseTime);
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
