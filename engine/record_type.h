#pragma once
// record (OID 2249): the anonymous composite value a function with several output columns
// returns, as information_schema._pg_expandarray's (x, n). PostgreSQL identifies such a row type
// by a typmod that indexes its backend's table of "blessed" tuple descriptors; here the table is
// fixed at compile time (the shapes the registry's functions return), and SqlType::typmod of a
// kRecord is the index of its shape. A record value is a std::string Datum: one byte naming its
// shape, then its fields as a row record (engine/row_codec.h), so a value can be printed without
// its SqlType (AppendText receives only the TypeId).
//
// Records of other shapes (ROW(...), whole-row references) carry their fields in the value
// (engine/row_value.h); Field and AppendText take both kinds.
//
// A record is read through field selection ((f(x)).n: Field) or printed (record_out's form,
// "(1,\"a b\",)"); records are not compared, sorted, stored, received or cast here (0A000 where a
// statement tries, as PostgreSQL refuses comparing records of other shapes).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/types.h"
#include "engine/value.h"

namespace sqlrite::engine::record {

struct FieldDef {
  std::string_view name;
  SqlType type;
};
struct Shape {
  std::vector<FieldDef> fields;
};

// The shapes, by typmod.
inline constexpr int32_t kExpandArrayInt2 = 0;  // _pg_expandarray(int2[]): (x smallint, n integer)
inline constexpr int32_t kJsonbEach = 1;        // jsonb_each: (key text, value jsonb)
inline constexpr int32_t kJsonEachText = 2;     // json[b]_each_text: (key text, value text)
inline constexpr int32_t kJsonEach = 3;         // json_each: (key text, value json)
// pg_options_to_table: (option_name text, option_value text)
inline constexpr int32_t kOptionsToTable = 4;

// The shape of typmod; null for none (a record of unknown shape).
const Shape* Find(int32_t typmod);
inline SqlType Type(int32_t shape) { return SqlType{TypeId::kRecord, shape}; }

// The Datum of a record of shape `shape` with these field values (one per field, of its type).
Datum Make(int32_t shape, const std::vector<Datum>& fields);
// Field i of a record Datum (NULL for a NULL field). Errors: XX000 on a malformed value.
Result<Datum> Field(const std::string& value, size_t i);
// record_out: "(" fields ")", separated by commas, NULL as nothing, a value quoted when it is
// empty or holds a blank, a comma, a parenthesis, a quote or a backslash (quotes and
// backslashes inside doubled).
void AppendText(std::string& out, const std::string& value);

}  // namespace sqlrite::engine::record
