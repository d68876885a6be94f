#include "engine/types/to_json.h"

#include <utility>

#include "engine/row_value.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine::json {
namespace {

enum class Category : uint8_t {
  kNull,
  kBool,
  kNumber,
  kDateTime,
  kJson,
  kJsonb,
  kArray,
  kRecord,
  kString
};

Category CategoryOf(const Datum& d, SqlType type) {
  if (IsNull(d)) return Category::kNull;
  switch (type.id) {
    case TypeId::kBool:
      return Category::kBool;
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kFloat4:
    case TypeId::kFloat8:
    case TypeId::kNumeric:
      return Category::kNumber;
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Category::kDateTime;
    case TypeId::kJson:
      return Category::kJson;
    case TypeId::kJsonb:
      return Category::kJsonb;
    case TypeId::kArray:
      return Category::kArray;
    case TypeId::kRecord:
      return Category::kRecord;
    default:
      return Category::kString;
  }
}

// A number's text, or nullopt-like empty for NaN and the infinities (which JSON lacks).
bool FiniteNumberText(const Datum& d, TypeId type, std::string& text) {
  text = FormatText(d, type);
  return !(text == "NaN" || text == "Infinity" || text == "-Infinity");
}

// JsonEncodeDateTime: ISO 8601 with a "T" between date and time, and an offset as +hh:mm.
std::string DateTimeText(const Datum& d, TypeId type) {
  std::string text = FormatText(d, type);
  if (text == "infinity" || text == "-infinity") return text;
  if (type == TypeId::kTimestamp || type == TypeId::kTimestampTz) {
    const size_t space = text.find(' ');
    if (space != std::string::npos) text[space] = 'T';
  }
  if (type == TypeId::kTimestampTz) {
    // The offset: +hh, +hh:mm or +hh:mm:ss after the time; JSON's is at least +hh:mm.
    const size_t sign = text.find_last_of("+-");
    if (sign != std::string::npos && sign > 10 && text.size() - sign == 3) text += ":00";
  }
  return text;
}

}  // namespace

Status AppendSqlValue(std::string& out, const Datum& d, SqlType type) {
  switch (CategoryOf(d, type)) {
    case Category::kNull:
      out += "null";
      return Ok();
    case Category::kBool:
      out += DatumAs<bool>(d) ? "true" : "false";
      return Ok();
    case Category::kNumber: {
      std::string text;
      if (FiniteNumberText(d, type.id, text)) {
        out += text;
      } else {
        AppendQuoted(out, text);
      }
      return Ok();
    }
    case Category::kDateTime:
      AppendQuoted(out, DateTimeText(d, type.id));
      return Ok();
    case Category::kJson:
    case Category::kJsonb:
      out += DatumAs<std::string>(d);
      return Ok();
    case Category::kArray: {
      const ArrayValue& a = *DatumAs<ArrayRef>(d);
      out.push_back('[');
      for (size_t i = 0; i < a.items.size(); ++i) {
        if (i > 0) out.push_back(',');
        SQLRITE_TRY(AppendSqlValue(out, a.items[i], SqlType{a.elem, type.typmod}));
      }
      out.push_back(']');
      return Ok();
    }
    case Category::kRecord: {
      // composite_to_json: an object of the fields by name, without blanks.
      SQLRITE_ASSIGN_OR_RETURN(row_value::Decoded r, row_value::Decode(DatumAs<std::string>(d)));
      out.push_back('{');
      for (size_t i = 0; i < r.values.size(); ++i) {
        if (i > 0) out.push_back(',');
        AppendQuoted(out, r.fields[i].name);
        out.push_back(':');
        SQLRITE_TRY(AppendSqlValue(out, r.values[i], r.fields[i].type));
      }
      out.push_back('}');
      return Ok();
    }
    case Category::kString:
      AppendQuoted(out, FormatText(d, type.id));
      return Ok();
  }
  return Ok();
}

Result<Value> FromSqlValue(const Datum& d, SqlType type) {
  switch (CategoryOf(d, type)) {
    case Category::kNull:
      return Value::Null();
    case Category::kBool:
      return Value::Bool(DatumAs<bool>(d));
    case Category::kNumber: {
      std::string text;
      if (!FiniteNumberText(d, type.id, text)) return Value::String(std::move(text));
      // jsonb keeps numbers as numeric prints them (a float8's 1e+20 as 100000000000000000000).
      if (type.id == TypeId::kNumeric || type.id == TypeId::kFloat4 || type.id == TypeId::kFloat8) {
        SQLRITE_ASSIGN_OR_RETURN(Numeric n, Numeric::Parse(text));
        text = n.ToString();
      }
      return Value::Number(std::move(text));
    }
    case Category::kDateTime:
      return Value::String(DateTimeText(d, type.id));
    case Category::kJson:
      return Parse(DatumAs<std::string>(d), true);
    case Category::kJsonb:
      return FromJsonb(DatumAs<std::string>(d));
    case Category::kArray: {
      const ArrayValue& a = *DatumAs<ArrayRef>(d);
      Value out = Value::Array();
      out.items.reserve(a.items.size());
      for (const Datum& item : a.items) {
        SQLRITE_ASSIGN_OR_RETURN(Value v, FromSqlValue(item, SqlType{a.elem, type.typmod}));
        out.items.push_back(std::move(v));
      }
      return out;
    }
    case Category::kRecord: {
      SQLRITE_ASSIGN_OR_RETURN(row_value::Decoded r, row_value::Decode(DatumAs<std::string>(d)));
      Value out = Value::Object();
      for (size_t i = 0; i < r.values.size(); ++i) {
        SQLRITE_ASSIGN_OR_RETURN(Value v, FromSqlValue(r.values[i], r.fields[i].type));
        out.keys.push_back(r.fields[i].name);
        out.items.push_back(std::move(v));
      }
      NormalizeObject(out);  // jsonb's key order, the last of equal keys kept
      return out;
    }
    case Category::kString:
      return Value::String(FormatText(d, type.id));
  }
  return Value::Null();
}

}  // namespace sqlrite::engine::json
