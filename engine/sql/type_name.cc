// Type names -> SqlType. The grammar already rewrites SQL-standard spellings ("integer",
// "double precision", "character varying") into "pg_catalog.<internal name>"; plain
// identifiers (int8, text, float8) arrive unqualified. Both are accepted here.

#include <algorithm>
#include <string>

#include "engine/sql/transformer.h"
#include "engine/types/interval_typmod.h"

namespace sqlrite::engine::sql {

namespace {

// PostgreSQL's cap on varchar(n) (MaxAttrSize in characters).
constexpr int32_t kMaxVarcharLength = 10 * 1024 * 1024;
constexpr int32_t kVarHdrSize = 4;
constexpr int32_t kMaxNumericPrecision = 1000;
constexpr int32_t kMaxDateTimePrecision = 6;  // MAX_TIMESTAMP_PRECISION

struct TypeEntry {
  std::string_view name;
  TypeId id;
};

constexpr TypeEntry kTypes[] = {
    {"int4", TypeId::kInt4},
    {"int", TypeId::kInt4},
    {"integer", TypeId::kInt4},
    {"int2", TypeId::kInt2},
    {"smallint", TypeId::kInt2},
    {"int8", TypeId::kInt8},
    {"bigint", TypeId::kInt8},
    {"text", TypeId::kText},
    {"varchar", TypeId::kVarchar},
    {"bpchar", TypeId::kBpchar},
    {"bool", TypeId::kBool},
    {"boolean", TypeId::kBool},
    {"float8", TypeId::kFloat8},
    {"float4", TypeId::kFloat4},
    {"float", TypeId::kFloat8},
    {"real", TypeId::kFloat4},
    {"numeric", TypeId::kNumeric},
    {"decimal", TypeId::kNumeric},
    {"bytea", TypeId::kBytea},
    {"uuid", TypeId::kUuid},
    {"date", TypeId::kDate},
    {"time", TypeId::kTime},
    {"timestamp", TypeId::kTimestamp},
    {"timestamptz", TypeId::kTimestampTz},
    {"interval", TypeId::kInterval},
    {"json", TypeId::kJson},
    {"jsonb", TypeId::kJsonb},
    {"bit", TypeId::kBit},
    {"varbit", TypeId::kVarbit},
    // The catalogs' types: for casts and the system relations, never a table's column.
    {"oid", TypeId::kOid},
    {"regclass", TypeId::kRegclass},
    {"regtype", TypeId::kRegtype},
    {"regproc", TypeId::kRegproc},
    {"regnamespace", TypeId::kRegnamespace},
    {"regrole", TypeId::kRegrole},
    {"name", TypeId::kName},
    {"record", TypeId::kRecord},  // casts only (null::record): a pseudo-type, never a column's
    {"char", TypeId::kChar},
    {"int2vector", TypeId::kInt2Vector},
    {"void", TypeId::kVoid},  // casts only ('x'::void): a pseudo-type, never a column's
};

// Types PostgreSQL has that the engine does not implement yet: 0A000 rather than "does not
// exist", which would be false.
constexpr std::string_view kKnownUnsupported[] = {
    "serial",  "serial4", "bigserial", "serial8", "smallserial", "serial2",
    "timetz",  "money",   "inet",      "cidr",    "macaddr",     "macaddr8",
    "xml",     "point",   "line",      "lseg",    "box",         "path",
    "polygon", "circle",  "tsvector",  "tsquery", "int4range",   "int8range",
};

// Whether name is no type the engine or PostgreSQL has built in (so it may be an enum's).
bool IsUserTypeName(std::string_view name) {
  for (const TypeEntry& e : kTypes) {
    if (e.name == name) return false;
  }
  for (std::string_view u : kKnownUnsupported) {
    if (u == name) return false;
  }
  return true;
}

}  // namespace

Result<SqlType> Transformer::TransformTypeName(const PgQuery__TypeName& type_name,
                                               std::string* user_type) {
  std::string_view name;
  if (type_name.n_names == 1) {
    name = NodeString(type_name.names[0]);
  } else if (type_name.n_names == 2) {
    std::string_view schema = NodeString(type_name.names[0]);
    if (schema == "pg_catalog" || schema == "public") name = NodeString(type_name.names[1]);
  }
  // A name no built-in type has (or one qualified by a created schema): an enum's, resolved by
  // the engine against the catalog (42704 there when it names nothing).
  if (user_type != nullptr && type_name.n_names >= 1 && type_name.n_names <= 2 &&
      (name.empty() || IsUserTypeName(name)) && !type_name.setof && !type_name.pct_type &&
      type_name.n_array_bounds <= 1 && type_name.n_typmods == 0) {
    std::string_view schema = type_name.n_names == 2 ? NodeString(type_name.names[0]) : "";
    std::string_view bare = NodeString(type_name.names[type_name.n_names - 1]);
    if (schema != "pg_catalog") {
      *user_type =
          schema.empty() ? std::string(bare) : std::string(schema) + '\0' + std::string(bare);
      SqlType t{TypeId::kEnum};
      return type_name.n_array_bounds > 0 ? ArrayOf(t) : t;
    }
  }
  if (name.empty()) {
    std::string full;
    for (size_t i = 0; i < type_name.n_names; ++i) {
      if (i > 0) full += '.';
      full += NodeString(type_name.names[i]);
    }
    return ErrorAt(sqlstate::kUndefinedObject, "type \"" + full + "\" does not exist",
                   type_name.location);
  }
  // Arrays of one dimension (int[], text[3]: a bound is ignored, as PostgreSQL ignores it);
  // smallint[] keeps the catalogs' own representation (engine/types/int2_array.h).
  if (type_name.n_array_bounds > 1) {
    return UnsupportedPlural("multidimensional array types", type_name.location);
  }
  if (type_name.setof) return Unsupported("SETOF", type_name.location);
  if (type_name.pct_type) return Unsupported("%TYPE", type_name.location);

  SqlType type;
  for (const TypeEntry& e : kTypes) {
    if (e.name == name) {
      type.id = e.id;
      break;
    }
  }
  if (type.id == TypeId::kUnknown) {
    for (std::string_view u : kKnownUnsupported) {
      if (u == name) {
        return Unsupported("type " + std::string(name), type_name.location);
      }
    }
    return ErrorAt(sqlstate::kUndefinedObject, "type \"" + std::string(name) + "\" does not exist",
                   type_name.location);
  }

  const bool is_array = type_name.n_array_bounds > 0;
  if (is_array && type.id == TypeId::kInt2) {
    if (type_name.n_typmods > 0) {
      return ErrorAt(sqlstate::kSyntaxError, "invalid type modifier", type_name.location);
    }
    type.id = TypeId::kInt2Array;
    return type;
  }
  if (is_array && !HasArrayType(type.id)) {
    return UnsupportedPlural("arrays of type " + std::string(name), type_name.location);
  }

  // Type modifiers: varchar(n), numeric(p[, s]), timestamp(p), interval day to second(p).
  int32_t mods[2] = {0, 0};
  if (type_name.n_typmods > 2) {
    return ErrorAt(sqlstate::kSyntaxError, "invalid type modifier", type_name.location);
  }
  for (size_t i = 0; i < type_name.n_typmods; ++i) {
    const PgQuery__Node* m = type_name.typmods[i];
    if (m->node_case != PG_QUERY__NODE__NODE_A_CONST ||
        m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL || m->a_const->ival == nullptr) {
      return ErrorAt(sqlstate::kSyntaxError, "type modifiers must be simple constants",
                     type_name.location);
    }
    mods[i] = m->a_const->ival->ival;
  }
  // A one-number length modifier (varchar(n), char(n), bit(n), varbit(n)), with PostgreSQL's
  // checks and messages.
  auto length_modifier = [&](const char* pg_name, int32_t max) -> Result<int32_t> {
    if (type_name.n_typmods != 1) {
      return ErrorAt(sqlstate::kSyntaxError, "invalid type modifier", type_name.location);
    }
    if (mods[0] < 1) {
      return ErrorAt(sqlstate::kInvalidParameterValue,
                     std::string("length for type ") + pg_name + " must be at least 1",
                     type_name.location);
    }
    if (mods[0] > max) {
      return ErrorAt(
          sqlstate::kInvalidParameterValue,
          std::string("length for type ") + pg_name + " cannot exceed " + std::to_string(max),
          type_name.location);
    }
    return mods[0];
  };
  if ((type.id == TypeId::kVarchar || type.id == TypeId::kBpchar) && type_name.n_typmods > 0) {
    SQLRITE_ASSIGN_OR_RETURN(
        const int32_t length,
        length_modifier(name == "bpchar" ? "char" : "varchar", kMaxVarcharLength));
    type.typmod = length + kVarHdrSize;
  } else if (IsBitType(type.id) && type_name.n_typmods > 0) {
    // bit(n), varbit(n): n itself (the grammar gives plain BIT its (1)).
    constexpr int32_t kMaxBitLength = 83886080;  // bittypmodin: MaxAttrSize * BITS_PER_BYTE
    SQLRITE_ASSIGN_OR_RETURN(
        type.typmod, length_modifier(type.id == TypeId::kBit ? "bit" : "varbit", kMaxBitLength));
  } else if (type.id == TypeId::kNumeric && type_name.n_typmods > 0) {
    int32_t precision = mods[0];
    int32_t scale = type_name.n_typmods == 2 ? mods[1] : 0;
    if (precision < 1 || precision > kMaxNumericPrecision) {
      return ErrorAt(sqlstate::kInvalidParameterValue,
                     "NUMERIC precision " + std::to_string(precision) + " must be between 1 and " +
                         std::to_string(kMaxNumericPrecision),
                     type_name.location);
    }
    if (scale < 0 || scale > precision) {
      return ErrorAt(sqlstate::kInvalidParameterValue,
                     "NUMERIC scale " + std::to_string(scale) +
                         " must be between 0 and precision " + std::to_string(precision),
                     type_name.location);
    }
    type.typmod = ((precision << 16) | scale) + kVarHdrSize;
  } else if ((type.id == TypeId::kTimestamp || type.id == TypeId::kTimestampTz ||
              type.id == TypeId::kTime) &&
             type_name.n_typmods > 0) {
    // timestamp(p), time(p): the precision is the typmod (anytimestamp_typmod_check). The
    // grammar takes one unsigned constant; PostgreSQL warns when it reduces p past 6.
    if (type_name.n_typmods != 1) {
      return ErrorAt(sqlstate::kSyntaxError, "invalid type modifier", type_name.location);
    }
    type.typmod = std::clamp(mods[0], 0, kMaxDateTimePrecision);
  } else if (type.id == TypeId::kInterval && type_name.n_typmods > 0) {
    // intervaltypmodin: the grammar's typmods are the field range (interval day to second) and
    // maybe p (interval(p), interval second(p)); typmod = range << 16 | p, p 0xffff when absent.
    if (!interval::IsValidRange(mods[0])) {
      return ErrorAt(sqlstate::kInvalidParameterValue, "invalid INTERVAL type modifier",
                     type_name.location);
    }
    if (type_name.n_typmods == 1) {
      type.typmod = mods[0] == interval::kFullRange
                        ? -1
                        : interval::MakeTypmod(mods[0], interval::kFullPrecision);
    } else {
      if (mods[1] < 0) {
        return ErrorAt(sqlstate::kInvalidParameterValue,
                       "INTERVAL(" + std::to_string(mods[1]) + ") precision must not be negative",
                       type_name.location);
      }
      // PostgreSQL warns when it reduces p past 6.
      type.typmod = interval::MakeTypmod(mods[0], std::min(mods[1], interval::kMaxPrecision));
    }
  }
  return is_array ? ArrayOf(type) : type;
}

}  // namespace sqlrite::engine::sql
