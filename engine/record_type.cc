#include "engine/record_type.h"

#include <cctype>

#include "engine/row_codec.h"
#include "engine/row_value.h"

namespace sqlrite::engine::record {
namespace {

const std::vector<Shape>& Shapes() {
  static const std::vector<Shape> shapes = {
      // kExpandArrayInt2
      Shape{{FieldDef{"x", SqlType{TypeId::kInt2}}, FieldDef{"n", SqlType{TypeId::kInt4}}}},
      // kJsonbEach, kJsonEachText, kJsonEach
      Shape{{FieldDef{"key", SqlType{TypeId::kText}}, FieldDef{"value", SqlType{TypeId::kJsonb}}}},
      Shape{{FieldDef{"key", SqlType{TypeId::kText}}, FieldDef{"value", SqlType{TypeId::kText}}}},
      Shape{{FieldDef{"key", SqlType{TypeId::kText}}, FieldDef{"value", SqlType{TypeId::kJson}}}},
      // kOptionsToTable
      Shape{{FieldDef{"option_name", SqlType{TypeId::kText}},
             FieldDef{"option_value", SqlType{TypeId::kText}}}},
  };
  return shapes;
}

Result<Row> Decode(const std::string& value) {
  if (value.empty() || Find(static_cast<unsigned char>(value[0])) == nullptr) {
    return Fail(sqlstate::kInternalError, "malformed record value");
  }
  Row row;
  SQLRITE_TRY(DecodeRow(std::string_view(value).substr(1), row));
  return row;
}

}  // namespace

const Shape* Find(int32_t typmod) {
  const std::vector<Shape>& shapes = Shapes();
  if (typmod < 0 || static_cast<size_t>(typmod) >= shapes.size()) return nullptr;
  return &shapes[static_cast<size_t>(typmod)];
}

Datum Make(int32_t shape, const std::vector<Datum>& fields) {
  SQLRITE_ASSERT(Find(shape) != nullptr && Find(shape)->fields.size() == fields.size());
  std::string encoded;
  EncodeRow(fields, encoded);  // EncodeRow replaces what its output held
  std::string out(1, static_cast<char>(shape));
  out.append(encoded);
  return Datum(std::move(out));
}

Result<Datum> Field(const std::string& value, size_t i) {
  if (row_value::IsRowValue(value)) {
    SQLRITE_ASSIGN_OR_RETURN(row_value::Decoded d, row_value::Decode(value));
    if (i >= d.values.size()) return Fail(sqlstate::kInternalError, "malformed record value");
    return std::move(d.values[i]);
  }
  SQLRITE_ASSIGN_OR_RETURN(Row row, Decode(value));
  if (i >= row.size()) return Fail(sqlstate::kInternalError, "malformed record value");
  return std::move(row[i]);
}

void AppendText(std::string& out, const std::string& value) {
  if (row_value::IsRowValue(value)) {
    row_value::AppendText(out, value);
    return;
  }
  Result<Row> row = Decode(value);
  const Shape* shape = value.empty() ? nullptr : Find(static_cast<unsigned char>(value[0]));
  out.push_back('(');
  if (row && shape != nullptr) {
    for (size_t i = 0; i < row->size() && i < shape->fields.size(); ++i) {
      if (i > 0) out.push_back(',');
      const Datum& d = (*row)[i];
      if (IsNull(d)) continue;
      const std::string text = FormatText(d, shape->fields[i].type.id);
      if (!row_value::RecordFieldNeedsQuotes(text)) {
        out.append(text);
        continue;
      }
      out.push_back('"');
      for (char c : text) {
        if (c == '"' || c == '\\') out.push_back(c);
        out.push_back(c);
      }
      out.push_back('"');
    }
  }
  out.push_back(')');
}

}  // namespace sqlrite::engine::record
