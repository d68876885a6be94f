#pragma once
// SQL types the engine knows, with PostgreSQL's type OIDs (pg_type.oid) so that clients see the
// types PostgreSQL would report.

#include <cstdint>
#include <string>
#include <string_view>

namespace sqlrite::engine {

enum class TypeId : uint8_t {
  kUnknown = 0,  // an untyped literal ('abc', NULL) before coercion; reported as text
  kBool,
  kInt4,
  kInt8,
  kFloat8,
  kNumeric,  // exact decimal (engine/types/numeric.h); decimal literals (1.5) are numeric
  kText,
  kVarchar,
  kInt2,     // smallint: an int64_t Datum kept within int16's range
  kFloat4,   // real: a double Datum holding a value rounded to float
  kBpchar,   // char(n): a std::string Datum blank-padded to n (engine/types/bpchar.h)
  kBytea,    // a std::string Datum of raw bytes (engine/types/bytea.h)
  kUuid,     // a std::string Datum of exactly 16 bytes (engine/types/uuid.h)
  kRegtype,  // pg_typeof's result: an int64_t Datum holding a type OID, printed as its name
  // The date/time types (engine/types/datetime.h, interval.h): int64_t Datums, except interval,
  // which is an Interval.
  kDate,                  // days since 2000-01-01
  kTime,                  // microseconds since midnight
  kTimestamp,             // microseconds since 2000-01-01 00:00, no zone
  kTimestampTz,           // microseconds since 2000-01-01 00:00 UTC
  kInterval,              // Interval: months, days, microseconds
  kLastType = kInterval,  // the first stored type ids run up to here (then kArray, kJson...)
  // The system catalogs' types (engine/catalog/), never a stored column's: oid and the reg*
  // aliases of oid (int64_t Datums holding an object's OID; regclass and friends print the
  // object's name), name (a std::string Datum of at most 63 bytes) and "char" (one byte).
  kOid,
  kRegclass,
  kRegproc,
  kRegnamespace,
  kRegrole,
  kName,
  kChar,
  // smallint[] and int2vector (engine/types/int2_array.h): std::string Datums holding their
  // canonical text form.
  kInt2Array,
  kInt2Vector,
  // name[] (current_schemas()'s result): a std::string Datum holding its canonical text form,
  // as smallint[]'s.
  kNameArray,
  // record: an anonymous composite (engine/record_type.h), a std::string Datum; typmod names
  // its shape.
  kRecord,
  kLastCatalogType = kRecord,
  // An array (engine/types/array.h): SqlType::elem names its element type, and the Datum is an
  // ArrayRef (engine/value.h), which carries its element type too. One TypeId for every array
  // type, so a new element type (enums, composites) needs no new id here.
  kArray,
  // The registry's polymorphic parameter and result types (engine/functions/builtin.h), never a
  // value's: anyarray takes any array, anyelement its element type.
  kAnyArray,
  kAnyElement,
  // An enum type made by CREATE TYPE ... AS ENUM (engine/types/enum_type.h): SqlType::enum_oid
  // names which. Its Datum is a std::string: the label's sort key (4 bytes, memcmp order is the
  // enum's order) then the label, so values compare, sort, hash and index as strings and print
  // without a catalog. Last, so that no stored type id moves.
  kEnum,
  // json and jsonb (engine/types/json.h): std::string Datums, json's the text as given, jsonb's
  // its canonical text. Stored type ids (34 and 35) appended after every earlier id, so that the
  // ids data directories already hold (kArray's 30) keep their meaning: IsStoredScalarType.
  kJson,
  kJsonb,
  // bit(n) and bit varying(n) (engine/types/bit_string.h): std::string Datums in an encoding
  // whose byte order is bitcmp's, so values compare, sort, hash and index as bytes. Stored type
  // ids 36 and 37, appended as json's were.
  kBit,
  kVarbit,
  // void (pg_type oid 2278): the result of a function called for its effect (setseed, pg_sleep,
  // pg_stat_force_next_flush). Its Datum is an empty std::string (void's output is ''); never a
  // column's, an array's element or a stored value's.
  kVoid,
  kLastTypeId = kVoid,
};

// The scalar types a column (or an array column's element) may have: the ids up to kLastType
// and those appended after the catalog and polymorphic ones.
inline bool IsStoredScalarType(TypeId id) {
  return (id != TypeId::kUnknown && id <= TypeId::kLastType) || id == TypeId::kJson ||
         id == TypeId::kJsonb || id == TypeId::kBit || id == TypeId::kVarbit;
}

// bit(n) and bit varying(n): one representation, implicitly castable to each other.
inline bool IsBitType(TypeId id) { return id == TypeId::kBit || id == TypeId::kVarbit; }

// oid and its reg* aliases: one representation, comparable with each other and with integers.
inline bool IsOidType(TypeId id) {
  return id == TypeId::kOid || id == TypeId::kRegtype || id == TypeId::kRegclass ||
         id == TypeId::kRegproc || id == TypeId::kRegnamespace || id == TypeId::kRegrole;
}

struct SqlType {
  TypeId id = TypeId::kUnknown;
  // varchar(n), char(n): n + 4 as PostgreSQL stores it; bit(n), varbit(n): n; -1: none. An array's
  // is its element's (varchar(5)[]), as PostgreSQL keeps it.
  int32_t typmod = -1;
  TypeId elem = TypeId::kUnknown;  // kArray: the element type; else kUnknown
  // kEnum, or an array of kEnum: the enum's pg_type oid (its array type's is enum_oid + 1).
  // kRecord of a table's whole row: the table's row type (engine/row_value.h, RowTypeOid).
  // 0 otherwise, and in a parsed tree's user type not yet resolved (ast::Cast::type_name).
  uint32_t enum_oid = 0;
  bool operator==(const SqlType&) const = default;
};

// The array type whose elements are of type element (int4 -> int4[]).
inline SqlType ArrayOf(SqlType element) {
  return SqlType{TypeId::kArray, element.typmod, element.id, element.enum_oid};
}
// The element type of an array type.
inline SqlType ElementOf(SqlType array) {
  return SqlType{array.elem, array.typmod, TypeId::kUnknown, array.enum_oid};
}
inline SqlType EnumSqlType(uint32_t enum_oid) {
  return SqlType{TypeId::kEnum, -1, TypeId::kUnknown, enum_oid};
}
inline bool IsArray(SqlType t) { return t.id == TypeId::kArray; }
// Whether an array of elements of type id exists (the scalar types a column can have, and oid,
// name and "char"): exactly the element types ArrayTypeOid knows. Inline: the SQL transformer
// (engine/sql/, linked without the engine) asks it.
inline bool HasArrayType(TypeId id) {
  return IsStoredScalarType(id) || id == TypeId::kOid || id == TypeId::kName ||
         id == TypeId::kChar || id == TypeId::kEnum || id == TypeId::kRecord;
}

// The date/time types (their values are int64_t Datums, except interval).
inline bool IsDateTimeType(TypeId id) {
  return id == TypeId::kDate || id == TypeId::kTime || id == TypeId::kTimestamp ||
         id == TypeId::kTimestampTz;
}

namespace oid {
inline constexpr uint32_t kBool = 16;
inline constexpr uint32_t kBytea = 17;
inline constexpr uint32_t kInt8 = 20;
inline constexpr uint32_t kInt2 = 21;
inline constexpr uint32_t kInt4 = 23;
inline constexpr uint32_t kText = 25;
inline constexpr uint32_t kOid = 26;
inline constexpr uint32_t kChar = 18;
inline constexpr uint32_t kName = 19;
inline constexpr uint32_t kInt2Vector = 22;
inline constexpr uint32_t kInt2Array = 1005;
inline constexpr uint32_t kRecord = 2249;
inline constexpr uint32_t kNameArray = 1003;
inline constexpr uint32_t kRegproc = 24;
inline constexpr uint32_t kRegclass = 2205;
inline constexpr uint32_t kRegrole = 4096;
inline constexpr uint32_t kRegnamespace = 4089;
inline constexpr uint32_t kFloat4 = 700;
inline constexpr uint32_t kFloat8 = 701;
inline constexpr uint32_t kUnknown = 705;
inline constexpr uint32_t kBpchar = 1042;
inline constexpr uint32_t kVarchar = 1043;
inline constexpr uint32_t kRegtype = 2206;
inline constexpr uint32_t kNumeric = 1700;
inline constexpr uint32_t kUuid = 2950;
inline constexpr uint32_t kDate = 1082;
inline constexpr uint32_t kTime = 1083;
inline constexpr uint32_t kTimestamp = 1114;
inline constexpr uint32_t kTimestampTz = 1184;
inline constexpr uint32_t kInterval = 1186;
inline constexpr uint32_t kJson = 114;
inline constexpr uint32_t kJsonb = 3802;
inline constexpr uint32_t kBit = 1560;
inline constexpr uint32_t kVarbit = 1562;
inline constexpr uint32_t kVoid = 2278;
}  // namespace oid

// pg_type.oid of a type as the wire reports it (0 for kArray alone: its element decides).
uint32_t TypeOid(TypeId id);
uint32_t TypeOid(SqlType type);
// The OID of the array type of element type id (_int4 1007 for int4); 0 when it has none.
uint32_t ArrayTypeOid(TypeId elem);
// The element type of the array type with OID oid (kUnknown when oid is no array type's).
TypeId ArrayElementOfOid(uint32_t oid);
// pg_type.typlen (-1 for varlena).
int16_t TypeLen(TypeId id);
// The name PostgreSQL prints in messages: "integer", "bigint", "text", "character varying",
// "boolean", "double precision", "numeric", "character", "bytea", "uuid", "date",
// "time without time zone", "timestamp with time zone", "interval".
std::string_view TypeName(TypeId id);

// The OID pg_typeof reports for a value of type id (705 for an untyped literal, which the wire
// reports as text), and the name regtype prints for an OID (format_type; "???" for none).
uint32_t RegtypeOid(TypeId id);
uint32_t RegtypeOid(SqlType type);
std::string_view RegtypeName(uint32_t oid);
// A type's name in messages, "integer[]" for an array, else TypeName(type.id).
std::string SqlTypeName(SqlType type);

}  // namespace sqlrite::engine
