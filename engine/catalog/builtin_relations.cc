// The relations of built-in objects: pg_type (engine/catalog/builtin_types.h), pg_am (heap and
// btree), pg_proc (the function registry's names, engine/functions/builtin.h; partial: no
// argument defaults, no source). pg_description is engine/catalog/descriptions.cc's.

#include <string>

#include "engine/catalog/builtin_types.h"
#include "engine/catalog/system_relation.h"
#include "engine/functions/builtin.h"
#include "engine/row_value.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::catalog {
namespace {

using type_shorthands::kBool;
using type_shorthands::kChar;
using type_shorthands::kF4;
using type_shorthands::kI2;
using type_shorthands::kI4;
using type_shorthands::kName;
using type_shorthands::kOid;
using type_shorthands::kRegproc;
using type_shorthands::kText;

using row_shorthands::C;
using row_shorthands::O;
using row_shorthands::S;

// PostgreSQL's enum_in and array_in (pg_type.typinput of an enum and of its array type).
constexpr uint32_t kEnumIn = 3504;
constexpr uint32_t kArrayIn = 750;
constexpr uint32_t kRecordIn = 2290;

// A table's, view's or sequence's row type (engine/row_value.h) and its array type, as
// PostgreSQL's heap_create_with_catalog makes them: a composite type named after the relation.
void AddRowTypeRows(SystemRows& rows, uint32_t relation_oid, const std::string& name, uint32_t ns) {
  const uint32_t type = row_value::RowTypeOid(relation_oid);
  rows.push_back({O(type),
                  S(name),
                  O(ns),
                  O(kBootstrapSuperuserOid),
                  Datum(int64_t{-1}),
                  Datum(false),
                  C('c'),
                  C('C'),
                  Datum(false),
                  Datum(true),
                  C(','),
                  O(relation_oid),
                  O(0),
                  O(type + 1),
                  O(kRecordIn),
                  C('d'),
                  C('x'),
                  Datum(false),
                  O(0),
                  Datum(int64_t{-1}),
                  Datum(int64_t{0}),
                  O(0),
                  Datum(),
                  Datum(),
                  Datum()});
  rows.push_back({O(type + 1),
                  S("_" + name),
                  O(ns),
                  O(kBootstrapSuperuserOid),
                  Datum(int64_t{-1}),
                  Datum(false),
                  C('b'),
                  C('A'),
                  Datum(false),
                  Datum(true),
                  C(','),
                  O(0),
                  O(type),
                  O(0),
                  O(kArrayIn),
                  C('d'),
                  C('x'),
                  Datum(false),
                  O(0),
                  Datum(int64_t{-1}),
                  Datum(int64_t{0}),
                  O(0),
                  Datum(),
                  Datum(),
                  Datum()});
}

Result<SystemRows> TypeRows(const SystemSource& src) {
  SystemRows rows;
  // The enum types (CREATE TYPE ... AS ENUM) and their array types, as PostgreSQL's DefineEnum
  // makes them.
  for (const auto& [key, t] : src.catalog->types()) {
    const uint32_t ns = src.catalog->SchemaOid(t->schema);
    rows.push_back({O(t->oid),
                    S(t->name),
                    O(ns),
                    O(kBootstrapSuperuserOid),
                    Datum(int64_t{4}),
                    Datum(true),
                    C('e'),
                    C('E'),
                    Datum(false),
                    Datum(true),
                    C(','),
                    O(0),
                    O(0),
                    O(t->array_oid()),
                    O(kEnumIn),
                    C('i'),
                    C('p'),
                    Datum(false),
                    O(0),
                    Datum(int64_t{-1}),
                    Datum(int64_t{0}),
                    O(0),
                    Datum(),
                    Datum(),
                    Datum()});
    rows.push_back({O(t->array_oid()),
                    S("_" + t->name),
                    O(ns),
                    O(kBootstrapSuperuserOid),
                    Datum(int64_t{-1}),
                    Datum(false),
                    C('b'),
                    C('A'),
                    Datum(false),
                    Datum(true),
                    C(','),
                    O(0),
                    O(t->oid),
                    O(0),
                    O(kArrayIn),
                    C('i'),
                    C('x'),
                    Datum(false),
                    O(0),
                    Datum(int64_t{-1}),
                    Datum(int64_t{0}),
                    O(0),
                    Datum(),
                    Datum(),
                    Datum()});
  }
  for (const auto& [key, table] : src.catalog->tables()) {
    AddRowTypeRows(rows, table.oid, table.name, src.catalog->SchemaOid(table.schema));
  }
  for (const BuiltinType& t : BuiltinTypes()) {
    rows.push_back({O(t.oid), S(t.name), O(kPgCatalogNamespace), O(kBootstrapSuperuserOid),
                    Datum(int64_t{t.len}), Datum(t.byval),
                    C(t.category == 'X' || t.category == 'P' ? 'p' : 'b'), C(t.category),
                    Datum(t.preferred), Datum(true), C(','), O(0), O(t.elem), O(t.array),
                    // Only the array types' and the vectors' input functions are named (array_in,
                    // int2vectorin, oidvectorin: engine/catalog/reg_types.cc); the others' 0.
                    O(t.oid == 22   ? 40
                      : t.oid == 30 ? 54
                      : t.elem != 0 ? 750
                                    : 0),
                    C(t.align), C(t.storage), Datum(false), O(0), Datum(int64_t{-1}),
                    Datum(int64_t{0}), O(t.collation), Datum(), Datum(), Datum()});
  }
  return rows;
}

// pg_enum: each enum type's labels in their sort order.
Result<SystemRows> EnumRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [key, t] : src.catalog->types()) {
    for (const EnumLabel& l : t->labels) {
      rows.push_back({O(l.oid), O(t->oid), Datum(static_cast<double>(l.sort_order)), S(l.label)});
    }
  }
  return rows;
}

Result<SystemRows> AmRows(const SystemSource&) {
  return SystemRows{{O(kHeapAm), S("heap"), O(3), C('t')},
                    {O(kBtreeAm), S("btree"), O(330), C('i')}};
}

// pg_proc's oids for the registry's overloads: a reserved range, in registration order.
constexpr uint32_t kProcBase = kProcOidBase;

Result<SystemRows> ProcRows(const SystemSource&) {
  SystemRows rows;
  uint32_t n = 0;
  for (const functions::Builtin& f : functions::AllBuiltins()) {
    std::string args;
    for (size_t i = 0; i < f.nparams; ++i) {
      if (i > 0) args += ' ';
      args += std::to_string(TypeOid(f.params[i]));
    }
    // prolang 12: internal, as PostgreSQL's built-in functions; proacl NULL: the default.
    rows.push_back({O(kProcBase + n++), S(f.name), O(kPgCatalogNamespace),
                    O(kBootstrapSuperuserOid), O(12), C('f'), Datum(false),
                    Datum(!f.strict ? false : true),
                    C(f.is_volatile ? 'v' : (f.foldable ? 'i' : 's')), Datum(int64_t{f.nparams}),
                    O(TypeOid(f.result)), S(args), Datum()});
  }
  return rows;
}

}  // namespace

void AddBuiltinRelations(std::vector<SystemRelation>& out) {
  out.push_back({"pg_type",
                 1247,
                 'r',
                 {{"oid", kOid},           {"typname", kName},       {"typnamespace", kOid},
                  {"typowner", kOid},      {"typlen", kI2},          {"typbyval", kBool},
                  {"typtype", kChar},      {"typcategory", kChar},   {"typispreferred", kBool},
                  {"typisdefined", kBool}, {"typdelim", kChar},      {"typrelid", kOid},
                  {"typelem", kOid},       {"typarray", kOid},       {"typinput", kRegproc},
                  {"typalign", kChar},     {"typstorage", kChar},    {"typnotnull", kBool},
                  {"typbasetype", kOid},   {"typtypmod", kI4},       {"typndims", kI4},
                  {"typcollation", kOid},  {"typdefaultbin", kText}, {"typdefault", kText},
                  {"typacl", kText}},
                 TypeRows});
  out.push_back({"pg_enum",
                 3501,
                 'r',
                 {{"oid", kOid}, {"enumtypid", kOid}, {"enumsortorder", kF4}, {"enumlabel", kName}},
                 EnumRows});
  out.push_back({"pg_am",
                 2601,
                 'r',
                 {{"oid", kOid}, {"amname", kName}, {"amhandler", kRegproc}, {"amtype", kChar}},
                 AmRows});
  out.push_back({"pg_proc",
                 1255,
                 'r',
                 {{"oid", kOid},
                  {"proname", kName},
                  {"pronamespace", kOid},
                  {"proowner", kOid},
                  {"prolang", kOid},
                  {"prokind", kChar},
                  {"proretset", kBool},
                  {"proisstrict", kBool},
                  {"provolatile", kChar},
                  {"pronargs", kI2},
                  {"prorettype", kOid},
                  {"proargtypes", kText},
                  {"proacl", kText}},
                 ProcRows});
}

}  // namespace sqlrite::engine::catalog
