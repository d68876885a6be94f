// Functions over records (engine/row_value.h): row_to_json.

#include <string>

#include "engine/functions/builtin.h"
#include "engine/row_value.h"
#include "engine/types/json.h"
#include "engine/types/to_json.h"

namespace sqlrite::engine::functions {
namespace {

// row_to_json(record [, pretty]): to_json's object of the fields; pretty puts a line feed and a
// blank before each top-level field after the first, as composite_to_json's use_line_feeds.
Result<Datum> RowToJson(const CallArgs& a) {
  const bool pretty = a.values.size() > 1 && DatumAs<bool>(a.values[1]);
  if (!pretty) {
    std::string out;
    SQLRITE_TRY(json::AppendSqlValue(out, a.values[0], a.types[0]));
    return Datum(std::move(out));
  }
  SQLRITE_ASSIGN_OR_RETURN(row_value::Decoded r,
                           row_value::Decode(DatumAs<std::string>(a.values[0])));
  std::string out = "{";
  for (size_t i = 0; i < r.values.size(); ++i) {
    if (i > 0) out += ",\n ";
    json::AppendQuoted(out, r.fields[i].name);
    out.push_back(':');
    SQLRITE_TRY(json::AppendSqlValue(out, r.values[i], r.fields[i].type));
  }
  out.push_back('}');
  return Datum(std::move(out));
}

}  // namespace

void AddRecordFunctions(std::vector<Builtin>& out) {
  out.push_back(Fn("row_to_json", {TypeId::kRecord}, TypeId::kJson, RowToJson));
  out.push_back(Fn("row_to_json", {TypeId::kRecord, TypeId::kBool}, TypeId::kJson, RowToJson));
}

}  // namespace sqlrite::engine::functions
