#pragma once
// What the information_schema relations (information_schema_relations.cc,
// information_schema_constraints.cc) share: the column kinds of its domains, their values, and
// which relations it shows.
//
// Row visibility. PostgreSQL shows a relation to a role that owns it or holds a privilege on it;
// here every relation is owned by the bootstrap superuser and every role may read and write every
// table (there is no GRANT), so every role sees what PostgreSQL shows a superuser: the
// database's tables and views, and the system relations of pg_catalog and information_schema
// that exist here.

#include <optional>
#include <string>
#include <string_view>

#include "engine/catalog/system_relation.h"

namespace sqlrite::engine::catalog::infoschema {

// Columns of information_schema's domains (the wire shows their base types, as PostgreSQL's
// RowDescription does).
constexpr SystemColumn Id(std::string_view name) {
  return {name, TypeId::kName, "sql_identifier", -1};
}
constexpr SystemColumn Card(std::string_view name) {
  return {name, TypeId::kInt4, "cardinal_number", -1};
}
constexpr SystemColumn Chars(std::string_view name) {
  return {name, TypeId::kVarchar, "character_data", -1};
}
constexpr SystemColumn YesNo(std::string_view name) {
  return {name, TypeId::kVarchar, "yes_or_no", 3 + 4};
}

inline Datum Text(std::string v) { return Datum(std::move(v)); }
inline Datum Int(int64_t v) { return Datum(v); }
inline Datum Null() { return Datum(); }
inline Datum YesNoValue(bool yes) { return Datum(std::string(yes ? "YES" : "NO")); }
inline Datum Maybe(std::optional<int64_t> v) { return v ? Datum(*v) : Datum(); }

// The name of a namespace oid ("" for none), created schemas included.
std::string NamespaceName(const SystemSource& src, uint32_t oid);

// PostgreSQL's name of a NOT NULL column's implicit CHECK: "2200_16384_1_not_null".
std::string NotNullName(uint32_t namespace_oid, uint32_t relation_oid, int attnum);

// The stored tables (not views or sequences) whose constraints the views list.
inline bool IsBaseTable(const TableDef& t) { return t.kind == RelKind::kTable; }

}  // namespace sqlrite::engine::catalog::infoschema
