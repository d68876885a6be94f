#include "engine/catalog/builtin_types.h"

#include <deque>

#include "engine/catalog/reg_types.h"
#include "engine/catalog/system_relation.h"
#include "engine/types/interval_typmod.h"

namespace sqlrite::engine::catalog {
namespace {

std::vector<BuiltinType> Build() {
  // oid, typname, typlen, byval, category, preferred, array oid, elem, collation, align, storage
  std::vector<BuiltinType> base = {
      {16, "bool", 1, true, 'B', true, 1000, 0, 0, 'c', 'p'},
      {17, "bytea", -1, false, 'U', false, 1001, 0, 0, 'i', 'x'},
      {18, "char", 1, true, 'Z', false, 1002, 0, 0, 'c', 'p'},
      {19, "name", 64, false, 'S', false, 1003, 0, kCCollation, 'c', 'p'},
      {20, "int8", 8, true, 'N', false, 1016, 0, 0, 'd', 'p'},
      {21, "int2", 2, true, 'N', false, 1005, 0, 0, 's', 'p'},
      {22, "int2vector", -1, false, 'A', false, 1006, 21, 0, 'i', 'p'},
      {23, "int4", 4, true, 'N', false, 1007, 0, 0, 'i', 'p'},
      {24, "regproc", 4, true, 'N', false, 1008, 0, 0, 'i', 'p'},
      {25, "text", -1, false, 'S', true, 1009, 0, kDefaultCollation, 'i', 'x'},
      {26, "oid", 4, true, 'N', true, 1028, 0, 0, 'i', 'p'},
      {30, "oidvector", -1, false, 'A', false, 1013, 26, 0, 'i', 'p'},
      {114, "json", -1, false, 'U', false, 199, 0, 0, 'i', 'x'},
      {194, "pg_node_tree", -1, false, 'Z', false, 0, 0, kDefaultCollation, 'i', 'x'},
      {700, "float4", 4, true, 'N', false, 1021, 0, 0, 'i', 'p'},
      {701, "float8", 8, true, 'N', true, 1022, 0, 0, 'd', 'p'},
      {705, "unknown", -2, false, 'X', false, 0, 0, 0, 'c', 'p'},
      {1042, "bpchar", -1, false, 'S', false, 1014, 0, kDefaultCollation, 'i', 'x'},
      {1043, "varchar", -1, false, 'S', false, 1015, 0, kDefaultCollation, 'i', 'x'},
      {1082, "date", 4, true, 'D', false, 1182, 0, 0, 'i', 'p'},
      {1083, "time", 8, true, 'D', false, 1183, 0, 0, 'd', 'p'},
      {1114, "timestamp", 8, true, 'D', false, 1115, 0, 0, 'd', 'p'},
      {1184, "timestamptz", 8, true, 'D', true, 1185, 0, 0, 'd', 'p'},
      {1186, "interval", 16, false, 'T', true, 1187, 0, 0, 'd', 'p'},
      {1560, "bit", -1, false, 'V', false, 1561, 0, 0, 'i', 'x'},
      {1562, "varbit", -1, false, 'V', true, 1563, 0, 0, 'i', 'x'},
      {1700, "numeric", -1, false, 'N', false, 1231, 0, 0, 'i', 'm'},
      {2205, "regclass", 4, true, 'N', false, 2210, 0, 0, 'i', 'p'},
      {2206, "regtype", 4, true, 'N', false, 2211, 0, 0, 'i', 'p'},
      {2278, "void", 4, true, 'P', false, 0, 0, 0, 'i', 'p'},  // a pseudo-type: typtype 'p'
      {2950, "uuid", 16, false, 'U', false, 2951, 0, 0, 'c', 'p'},
      {3802, "jsonb", -1, false, 'U', false, 3807, 0, 0, 'i', 'x'},
      {4089, "regnamespace", 4, true, 'N', false, 4090, 0, 0, 'i', 'p'},
      {4096, "regrole", 4, true, 'N', false, 4097, 0, 0, 'i', 'p'},
  };
  // Array type names: PostgreSQL's "_" + element name.
  static std::deque<std::string> array_names;  // stable addresses for the string_views
  std::vector<BuiltinType> all = base;
  for (const BuiltinType& t : base) {
    if (t.array == 0) continue;
    array_names.push_back("_" + std::string(t.name));
    BuiltinType a;
    a.oid = t.array;
    a.name = array_names.back();
    a.len = -1;
    a.category = 'A';
    a.elem = t.oid;
    a.collation = t.collation;
    a.align = t.align == 'd' ? 'd' : 'i';
    a.storage = 'x';
    all.push_back(a);
  }
  return all;
}

// format_type's spelling of a base type (PostgreSQL's format_type_extended).
std::string_view SqlName(uint32_t oid) {
  switch (oid) {
    case 16:
      return "boolean";
    case 18:
      return "\"char\"";
    case 20:
      return "bigint";
    case 21:
      return "smallint";
    case 23:
      return "integer";
    case 700:
      return "real";
    case 701:
      return "double precision";
    case 1042:
      return "character";
    case 1043:
      return "character varying";
    case 1083:
      return "time without time zone";
    case 1114:
      return "timestamp without time zone";
    case 1184:
      return "timestamp with time zone";
    case 1562:
      return "bit varying";
    default:
      return {};
  }
}

}  // namespace

const std::vector<BuiltinType>& BuiltinTypes() {
  static const std::vector<BuiltinType> all = Build();
  return all;
}

const BuiltinType* FindBuiltinType(uint32_t oid) {
  for (const BuiltinType& t : BuiltinTypes()) {
    if (t.oid == oid) return &t;
  }
  return nullptr;
}

const BuiltinType* FindBuiltinType(std::string_view name) {
  for (const BuiltinType& t : BuiltinTypes()) {
    if (t.name == name || (!SqlName(t.oid).empty() && SqlName(t.oid) == name)) return &t;
  }
  if (name == "int" || name == "int4") return FindBuiltinType(uint32_t{23});
  if (name == "timestamp") return FindBuiltinType(uint32_t{1114});
  if (name == "time") return FindBuiltinType(uint32_t{1083});
  if (name == "decimal") return FindBuiltinType(uint32_t{1700});
  if (name == "boolean") return FindBuiltinType(uint32_t{16});
  return nullptr;
}

std::string FormatType(uint32_t oid, std::optional<int32_t> typmod) {
  const BuiltinType* t = FindBuiltinType(oid);
  if (t == nullptr) {
    // An enum type of the statement's catalog (or its array type).
    if (std::optional<std::string> name = EnumTypeDisplayName(oid)) return *name;
    return "???";
  }
  if (t->category == 'A' && t->elem != 0 && t->oid != 22 && t->oid != 30) {
    return FormatType(t->elem, typmod) + "[]";
  }
  std::string name(SqlName(oid));
  if (name.empty()) name = std::string(t->name);
  // PostgreSQL prints bpchar without a modifier as "bpchar" (a typmod of -1), but "character"
  // when asked with none at all (NULL).
  if (oid == 1042 && typmod.has_value() && *typmod < 0) return "bpchar";
  // bit without a length would read back as bit(1): a typmod of -1 prints quoted.
  if (oid == 1560 && typmod.has_value() && *typmod < 0) return "\"bit\"";
  if (!typmod.has_value() || *typmod < 0) return name;
  const int32_t m = *typmod;
  switch (oid) {
    case 1042:
    case 1043:
      return name + "(" + std::to_string(m - 4) + ")";
    case 1560:
    case 1562:
      return name + "(" + std::to_string(m) + ")";
    case 1700: {
      const int32_t v = m - 4;
      return name + "(" + std::to_string((v >> 16) & 0xffff) + "," + std::to_string(v & 0xffff) +
             ")";
    }
    case 1083:
      return "time(" + std::to_string(m) + ") without time zone";
    case 1114:
      return "timestamp(" + std::to_string(m) + ") without time zone";
    case 1184:
      return "timestamp(" + std::to_string(m) + ") with time zone";
    case 1186:
      return name + interval::TypmodText(m);  // "interval day to second(3)"
    default:
      return name;
  }
}

}  // namespace sqlrite::engine::catalog
