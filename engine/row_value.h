#pragma once
// Row values: the records ROW(...) and (a, b) make outside a comparison and a whole-row
// reference (`select t from t`) reads, of PostgreSQL's type record (2249) or of a table's row
// type. Unlike the fixed shapes of engine/record_type.h (a set-returning function's rows), such
// a record's fields are known only where it is built, so its Datum (a std::string) carries them:
//
//   0xFE                                  marks a row value (a fixed shape's first byte is < 0x80)
//   key                                   each field as an index key column (engine/key_codec.h:
//                                         marker byte, then the value; NULL sorts last), so that
//                                         two records of one shape compare as their key bytes do
//   descriptor                            varint field count; per field: its TypeId, its element
//                                         TypeId (arrays), varint enum oid, varint name length,
//                                         the name
//   values                                the fields as a row record (engine/row_codec.h)
//   u32 key length, u32 descriptor length little-endian, so that the parts can be found from
//                                         the end
//
// The key first makes the whole Datum sort in record_cmp's order (field by field, NULL above any
// value) wherever values are compared as bytes (ORDER BY, min/max); equality (=, DISTINCT,
// GROUP BY) compares the keys alone, since two equal numerics (1.0, 1.00) keep their own text.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/types.h"
#include "engine/value.h"

namespace sqlrite::engine::row_value {

struct Field {
  std::string name;
  SqlType type;  // its id, elem and enum_oid are kept (not its typmod)
};

inline constexpr char kMarker = '\xFE';

// The row type of the stored table or view with pg_class oid `relation_oid`, which PostgreSQL
// makes at CREATE (pg_class.reltype): derived from the oid rather than stored, above the range
// the catalog's counter hands out, so that it names no other object (its array type: + 1).
inline uint32_t RowTypeOid(uint32_t relation_oid) { return 0x80000000u + relation_oid * 2; }
// The relation a row type OID belongs to (0: none, not such an oid).
inline uint32_t RelationOfRowType(uint32_t type_oid) {
  return type_oid >= 0x80000000u && type_oid % 2 == 0 ? (type_oid - 0x80000000u) / 2 : 0;
}

// The descriptor of records with these fields (fixed where the record is built: a kRowCtor's).
std::string EncodeDescriptor(const std::vector<Field>& fields);
// The fields a descriptor names. Errors: XX000 on a malformed one.
Result<std::vector<Field>> DecodeDescriptor(std::string_view descriptor);
// A record of the descriptor's fields with these values (one per field, of its type).
Datum Make(std::string_view descriptor, const std::vector<Datum>& values);

bool IsRowValue(const std::string& value);

struct Decoded {
  std::vector<Field> fields;
  std::vector<Datum> values;
};
// The fields and values of a record: a row value, or a fixed shape's (engine/record_type.h,
// its field names as that shape has them). Errors: XX000 on a malformed value.
Result<Decoded> Decode(const std::string& value);

// record_out's text: "(1,,\"x y\")".
void AppendText(std::string& out, const std::string& value);
// Whether a field's text in record_out's form must be quoted (record_type.cc's records use it
// too).
bool RecordFieldNeedsQuotes(std::string_view s);

// The key part: the bytes =, <, DISTINCT and GROUP BY compare.
std::string_view KeyOf(const std::string& value);

// record_cmp of two non-NULL row values: <0, 0, >0. Errors: 42804 as PostgreSQL when their
// field counts or types differ ("cannot compare dissimilar column types ..." / "cannot compare
// record types with different numbers of columns"); 42883 for a field of an unknown literal,
// which has no equality operator (equality: = <> IS DISTINCT FROM) or comparison function.
Result<int> Compare(const std::string& a, const std::string& b, bool equality);

// IS NULL of a record: every field NULL; IS NOT NULL: no field NULL (PostgreSQL's semantics
// for rows; a NULL record is both NULL and not "not NULL").
Result<bool> AllFieldsNull(const std::string& value);
Result<bool> NoFieldNull(const std::string& value);

}  // namespace sqlrite::engine::row_value
