#include "engine/types.h"

#include <array>
#include <string>

#include "engine/types/enum_type.h"

namespace sqlrite::engine {

uint32_t TypeOid(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return oid::kBool;
    case TypeId::kInt2:
      return oid::kInt2;
    case TypeId::kInt4:
      return oid::kInt4;
    case TypeId::kFloat4:
      return oid::kFloat4;
    case TypeId::kInt8:
      return oid::kInt8;
    case TypeId::kFloat8:
      return oid::kFloat8;
    case TypeId::kNumeric:
      return oid::kNumeric;
    case TypeId::kVarchar:
      return oid::kVarchar;
    case TypeId::kBpchar:
      return oid::kBpchar;
    case TypeId::kBytea:
      return oid::kBytea;
    case TypeId::kUuid:
      return oid::kUuid;
    case TypeId::kRegtype:
      return oid::kRegtype;
    case TypeId::kOid:
      return oid::kOid;
    case TypeId::kRegclass:
      return oid::kRegclass;
    case TypeId::kRegproc:
      return oid::kRegproc;
    case TypeId::kRegnamespace:
      return oid::kRegnamespace;
    case TypeId::kRegrole:
      return oid::kRegrole;
    case TypeId::kName:
      return oid::kName;
    case TypeId::kChar:
      return oid::kChar;
    case TypeId::kInt2Array:
      return oid::kInt2Array;
    case TypeId::kInt2Vector:
      return oid::kInt2Vector;
    case TypeId::kRecord:
      return oid::kRecord;
    case TypeId::kNameArray:
      return oid::kNameArray;
    case TypeId::kDate:
      return oid::kDate;
    case TypeId::kTime:
      return oid::kTime;
    case TypeId::kTimestamp:
      return oid::kTimestamp;
    case TypeId::kTimestampTz:
      return oid::kTimestampTz;
    case TypeId::kInterval:
      return oid::kInterval;
    case TypeId::kJson:
      return oid::kJson;
    case TypeId::kJsonb:
      return oid::kJsonb;
    case TypeId::kBit:
      return oid::kBit;
    case TypeId::kVarbit:
      return oid::kVarbit;
    case TypeId::kVoid:
      return oid::kVoid;
    case TypeId::kArray:
      return 0;
    case TypeId::kAnyArray:
      return 2277;
    case TypeId::kAnyElement:
      return 2283;
    case TypeId::kEnum:
      return 0;  // each enum has its own: TypeOid(SqlType)
    case TypeId::kText:
    case TypeId::kUnknown:
      return oid::kText;
  }
  return oid::kText;
}

namespace {

// PostgreSQL's array types of the engine's element types (pg_type.typarray).
struct ArrayOidEntry {
  TypeId elem;
  uint32_t oid;
};
constexpr ArrayOidEntry kArrayOids[] = {
    {TypeId::kBool, 1000},    {TypeId::kBytea, 1001},       {TypeId::kChar, 1002},
    {TypeId::kName, 1003},    {TypeId::kInt2, 1005},        {TypeId::kInt4, 1007},
    {TypeId::kText, 1009},    {TypeId::kBpchar, 1014},      {TypeId::kVarchar, 1015},
    {TypeId::kInt8, 1016},    {TypeId::kFloat4, 1021},      {TypeId::kFloat8, 1022},
    {TypeId::kOid, 1028},     {TypeId::kTimestamp, 1115},   {TypeId::kDate, 1182},
    {TypeId::kTime, 1183},    {TypeId::kTimestampTz, 1185}, {TypeId::kInterval, 1187},
    {TypeId::kNumeric, 1231}, {TypeId::kRegtype, 2211},     {TypeId::kUuid, 2951},
    {TypeId::kJson, 199},     {TypeId::kJsonb, 3807},       {TypeId::kRecord, 2287},
    {TypeId::kBit, 1561},     {TypeId::kVarbit, 1563},
};

}  // namespace

uint32_t ArrayTypeOid(TypeId elem) {
  for (const ArrayOidEntry& e : kArrayOids) {
    if (e.elem == elem) return e.oid;
  }
  return 0;
}

TypeId ArrayElementOfOid(uint32_t oid) {
  for (const ArrayOidEntry& e : kArrayOids) {
    if (e.oid == oid) return e.elem;
  }
  return TypeId::kUnknown;
}

uint32_t TypeOid(SqlType type) {
  if (type.enum_oid != 0) return type.id == TypeId::kArray ? type.enum_oid + 1 : type.enum_oid;
  return type.id == TypeId::kArray ? ArrayTypeOid(type.elem) : TypeOid(type.id);
}

uint32_t RegtypeOid(SqlType type) {
  if (type.enum_oid != 0) return TypeOid(type);
  return type.id == TypeId::kArray ? ArrayTypeOid(type.elem) : RegtypeOid(type.id);
}

std::string SqlTypeName(SqlType type) {
  // A table's row type (enum_oid names it, engine/row_value.h) is named "record" here: the
  // table's name is the catalog's.
  if (type.id == TypeId::kRecord || (type.id == TypeId::kArray && type.elem == TypeId::kRecord)) {
    return type.id == TypeId::kArray ? "record[]" : "record";
  }
  if (type.enum_oid != 0) {
    return EnumTypeName(type.enum_oid) + (type.id == TypeId::kArray ? "[]" : "");
  }
  if (type.id != TypeId::kArray) return std::string(TypeName(type.id));
  return std::string(TypeName(type.elem)) + "[]";
}

int16_t TypeLen(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return 1;
    case TypeId::kInt2:
      return 2;
    case TypeId::kInt4:
    case TypeId::kFloat4:
      return 4;
    case TypeId::kInt8:
    case TypeId::kFloat8:
      return 8;
    case TypeId::kUuid:
      return 16;
    case TypeId::kRegtype:
    case TypeId::kOid:
    case TypeId::kRegclass:
    case TypeId::kRegproc:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
    case TypeId::kDate:
    case TypeId::kVoid:
      return 4;
    case TypeId::kName:
      return 64;
    case TypeId::kChar:
      return 1;
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return 8;
    case TypeId::kInterval:
      return 16;
    default:
      return -1;
  }
}

std::string_view TypeName(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return "boolean";
    case TypeId::kInt2:
      return "smallint";
    case TypeId::kInt4:
      return "integer";
    case TypeId::kFloat4:
      return "real";
    case TypeId::kInt8:
      return "bigint";
    case TypeId::kFloat8:
      return "double precision";
    case TypeId::kNumeric:
      return "numeric";
    case TypeId::kText:
      return "text";
    case TypeId::kVarchar:
      return "character varying";
    case TypeId::kBpchar:
      return "character";
    case TypeId::kBytea:
      return "bytea";
    case TypeId::kUuid:
      return "uuid";
    case TypeId::kRegtype:
      return "regtype";
    case TypeId::kOid:
      return "oid";
    case TypeId::kRegclass:
      return "regclass";
    case TypeId::kRegproc:
      return "regproc";
    case TypeId::kRegnamespace:
      return "regnamespace";
    case TypeId::kRegrole:
      return "regrole";
    case TypeId::kName:
      return "name";
    case TypeId::kChar:
      return "\"char\"";
    case TypeId::kInt2Array:
      return "smallint[]";
    case TypeId::kInt2Vector:
      return "int2vector";
    case TypeId::kRecord:
      return "record";
    case TypeId::kNameArray:
      return "name[]";
    case TypeId::kDate:
      return "date";
    case TypeId::kTime:
      return "time without time zone";
    case TypeId::kTimestamp:
      return "timestamp without time zone";
    case TypeId::kTimestampTz:
      return "timestamp with time zone";
    case TypeId::kInterval:
      return "interval";
    case TypeId::kJson:
      return "json";
    case TypeId::kJsonb:
      return "jsonb";
    case TypeId::kBit:
      return "bit";
    case TypeId::kVarbit:
      return "bit varying";
    case TypeId::kVoid:
      return "void";
    case TypeId::kArray:
    case TypeId::kAnyArray:
      return "anyarray";
    case TypeId::kAnyElement:
      return "anyelement";
    case TypeId::kEnum:
      return "anyenum";  // a particular enum's name is its catalog entry's
    case TypeId::kUnknown:
      return "unknown";
  }
  return "unknown";
}

uint32_t RegtypeOid(TypeId id) { return id == TypeId::kUnknown ? oid::kUnknown : TypeOid(id); }

std::string_view RegtypeName(uint32_t oid) {
  if (oid == oid::kUnknown) return "unknown";
  if (const TypeId elem = ArrayElementOfOid(oid); elem != TypeId::kUnknown) {
    // The names format_type prints for the array types (a fixed set: string_views into it).
    constexpr size_t kIds = static_cast<size_t>(TypeId::kLastTypeId) + 1;
    static const std::array<std::string, kIds> names = [] {
      std::array<std::string, kIds> m;
      for (size_t i = 0; i < m.size(); ++i) {
        m[i] = std::string(TypeName(static_cast<TypeId>(i))) + "[]";
      }
      return m;
    }();
    return names[static_cast<size_t>(elem)];
  }
  for (int i = 1; i <= static_cast<int>(TypeId::kLastTypeId); ++i) {
    const auto id = static_cast<TypeId>(i);
    if ((i <= static_cast<int>(TypeId::kLastCatalogType) || IsStoredScalarType(id) ||
         id == TypeId::kVoid) &&
        TypeOid(id) == oid) {
      return TypeName(id);
    }
  }
  return "???";
}

}  // namespace sqlrite::engine
