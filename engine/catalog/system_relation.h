#pragma once
// System relations: pg_catalog's tables and views, each a name, a fixed oid, PostgreSQL 15's
// columns (names, types, order) and a function that produces its rows from a SystemSource
// (engine/catalog/system_source.h) when a scan of it opens. They are bound like tables
// (MakeSystemTable gives the binder a TableDef whose `system_rows` runs that function), so joins,
// WHERE, ORDER BY, subqueries and EXPLAIN ("Seq Scan on pg_class c") need nothing of their own.
// They hold no rows: every row is derived from the engine's catalog at the moment it is read.
//
// Name resolution (PostgreSQL's: pg_catalog is implicitly first on the search path): an
// unqualified or pg_catalog-qualified name is a system relation when one has that name, before
// any table; a name qualified with public never is. Writes to them fail as PostgreSQL's do
// (SystemRelationWriteError).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/catalog/system_source.h"

namespace sqlrite::engine::catalog {

using SystemRow = std::vector<Datum>;
using SystemRows = std::vector<SystemRow>;

// The values of system relations' rows, in short: the relation sources take the ones they use
// with using-declarations (`using row_shorthands::O;`), which may be repeated, so the sources of
// one unity batch (SQLRITE_UNITY) can each take theirs, where a copy in each collided.
namespace row_shorthands {
inline Datum O(uint32_t v) { return Datum(int64_t{v}); }  // an oid
inline Datum I(int64_t v) { return Datum(v); }
inline Datum B(bool v) { return Datum(v); }
inline Datum S(std::string_view v) { return Datum(std::string(v)); }
// A "char" column: the NUL char is the empty string.
inline Datum C(char c) { return Datum(c == 0 ? std::string() : std::string(1, c)); }
inline Datum Null() { return Datum(); }
}  // namespace row_shorthands

// The rows of a relation that has none (the features it describes are not implemented).
inline Result<SystemRows> NoRows(const SystemSource&) { return SystemRows{}; }

inline constexpr uint32_t kPgCatalogNamespace = 11;
inline constexpr uint32_t kPublicNamespace = 2200;
// PostgreSQL 15's information_schema as initdb creates it (not on the search path).
inline constexpr uint32_t kInformationSchemaNamespace = 13207;
inline constexpr uint32_t kHeapAm = 2;
inline constexpr uint32_t kBtreeAm = 403;
inline constexpr uint32_t kDefaultCollation = 100;
inline constexpr uint32_t kCCollation = 950;
inline constexpr uint32_t kPosixCollation = 951;
// ucs_basic, and C.utf8 as initdb imports it from glibc's locales (its oid on PostgreSQL 15's
// Debian build, where it follows ucs_basic).
inline constexpr uint32_t kUcsBasicCollation = 12340;
inline constexpr uint32_t kCUtf8Collation = 12341;
// pg_proc's oids for the function registry's overloads: this base plus the registration index.
inline constexpr uint32_t kProcOidBase = 0x40000000u;

struct SystemColumn {
  std::string_view name;
  TypeId type;
  // information_schema's columns are of its domains (sql_identifier over name, cardinal_number
  // over integer, character_data and yes_or_no over varchar): the domain's name, and the typmod
  // it gives its base type (yes_or_no: varchar(3)). The wire, like PostgreSQL's RowDescription,
  // shows the base type.
  std::string_view domain = {};
  int32_t typmod = -1;
  // type kArray: the element type (pg_class.reloptions text[], pg_partitioned_table.partclass
  // oidvector as oid[]).
  TypeId elem = TypeId::kUnknown;
};

struct SystemRelation {
  std::string_view name;
  uint32_t oid = 0;
  char kind = 'r';  // pg_class.relkind: 'r' a catalog table, 'v' a view
  std::vector<SystemColumn> columns;
  Result<SystemRows> (*rows)(const SystemSource& source) = nullptr;
  uint32_t namespace_oid = kPgCatalogNamespace;  // pg_catalog or information_schema
};

// The schemas (pg_namespace's rows): pg_toast, pg_catalog, public, information_schema.
struct NamespaceFact {
  uint32_t oid;
  std::string_view name;
  uint32_t owner;  // a role's oid
};
const std::vector<NamespaceFact>& Namespaces();  // the built-in ones
struct SystemSource;
// The built-in namespaces, then the schemas made by CREATE SCHEMA (names point into src).
std::vector<NamespaceFact> AllNamespaces(const SystemSource& src);

// Every system relation, in oid order.
const std::vector<SystemRelation>& SystemRelations();
// By name in pg_catalog (information_schema's are reached only qualified, through
// ResolveSystemRelation).
const SystemRelation* FindSystemRelation(std::string_view name);
const SystemRelation* FindSystemRelation(uint32_t oid);

// The TableDef the binder scans for rel: its columns, and rows produced from source per scan.
std::shared_ptr<const TableDef> MakeSystemTable(const SystemRelation& rel,
                                                std::shared_ptr<const SystemSource> source);

// Whether a table name as written names a system relation: schema "" or "pg_catalog" a
// pg_catalog one, "information_schema" one of its views; "public" never.
const SystemRelation* ResolveSystemRelation(std::string_view schema, std::string_view name);

// The error of a statement that would change a system relation, as PostgreSQL gives it to a role
// that is not a superuser (a superuser's DML on catalogs is not offered: their rows are derived):
// verb ("insert into", "update", "delete from", "copy to") for DML, null for DDL (DROP,
// TRUNCATE, CREATE INDEX).
Error SystemRelationWriteError(const SystemRelation& rel, const char* verb);

// The relation families (one file each), appended to the registry.
void AddNamespaceRelations(std::vector<SystemRelation>& out);  // pg_class, pg_attribute, ...
void AddBuiltinRelations(std::vector<SystemRelation>& out);    // pg_type, pg_am, pg_proc, ...
void AddClusterRelations(std::vector<SystemRelation>& out);    // pg_database, roles, settings
void AddEmptyRelations(std::vector<SystemRelation>& out);      // what psql asks, never filled
void AddDependRelation(std::vector<SystemRelation>& out);      // pg_depend, pg_rewrite
// pg_description, pg_shdescription (engine/catalog/descriptions.cc).
void AddDescriptionRelations(std::vector<SystemRelation>& out);
// pg_stat_activity, pg_locks, pg_stat_*_tables, pg_statio_*_tables, pg_stat_database
// (engine/catalog/stat_relations.cc).
void AddStatRelations(std::vector<SystemRelation>& out);
// information_schema: schemata, tables, columns, views, sequences, routines.
void AddInformationSchemaRelations(std::vector<SystemRelation>& out);
// information_schema's constraint views: table_constraints, key_column_usage,
// referential_constraints, constraint_column_usage, check_constraints.
void AddInformationSchemaConstraints(std::vector<SystemRelation>& out);

// The oid pg_class shows for an index (IndexDef::oid, or for an entry written before indexes
// had oids a number derived from its table's oid and position, above the counter's range).
uint32_t IndexOid(const TableDef& table, size_t index);

// Oids of the objects the catalog has no counter for, derived from their table's (constraints
// of PRIMARY KEY / UNIQUE indexes, column defaults); reversible, above the counter's range.
uint32_t ConstraintOid(const TableDef& table, size_t index);
uint32_t AttrdefOid(const TableDef& table, int attnum);
// The btree operator class PostgreSQL 15 uses by default for a type (pg_index.indclass).
uint32_t OperatorClassOid(uint32_t type_oid);

// The objects those oids name in catalog (null table: none).
struct IndexRef {
  const TableDef* table = nullptr;
  size_t index = 0;
};
IndexRef FindIndexByOid(const Catalog& catalog, uint32_t oid);
IndexRef FindConstraintByOid(const Catalog& catalog, uint32_t oid);
// The oids of a table's CHECK constraint i and FOREIGN KEY i (derived, as the others).
uint32_t CheckConstraintOid(const TableDef& table, size_t index);
// The oid of a view's ON SELECT rule (pg_rewrite), derived from the view's.
uint32_t RewriteOid(const TableDef& view);
uint32_t ForeignKeyOid(const TableDef& table, size_t index);
// The unique index of ref a foreign key's referenced columns are (pg_constraint.conindid): as
// PostgreSQL's transformFkeyCheckAttrs, the first unique index whose key is that set of columns;
// -1 for none.
int ReferencedKeyIndex(const TableDef& ref, const ForeignKey& fk);
// The 0-based columns a CHECK constraint reads, each once, in the order they appear
// (pg_constraint.conkey of a CHECK, as StoreRelCheck's pull_var_clause makes it).
std::vector<int> CheckColumns(const CheckConstraint& check);
// pg_get_constraintdef(oid, pretty) of any constraint's oid; nullopt when no constraint has it.
std::optional<std::string> ConstraintDefinitionByOid(const Catalog& catalog, uint32_t oid,
                                                     bool pretty = false);
const TableDef* FindTableByOid(const Catalog& catalog, uint32_t oid);

// The texts of PostgreSQL's deparsing functions (engine/catalog/deparse.cc):
// pg_get_expr of a column's default ("nextval('t_id_seq'::regclass)", "0", "'x'::text").
std::string DefaultExprText(const ColumnDef& column);
// pg_get_indexdef: "CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)".
std::string IndexDefinition(const TableDef& table, size_t index, bool pretty);
// pg_get_constraintdef: "PRIMARY KEY (id)", "UNIQUE (a, b)".
std::string ConstraintDefinition(const TableDef& table, size_t index);
// "CHECK ((price > (0)::numeric))", pretty "CHECK (price > 0::numeric)": ruleutils' text
// (engine/catalog/rule_deparse.h), or the stored text where that printer has no answer.
std::string CheckDefinition(const TableDef& table, const CheckConstraint& check, bool pretty);
// "FOREIGN KEY (a) REFERENCES p(id) ON DELETE CASCADE" (ref: the referenced table, or null).
std::string ForeignKeyDefinition(const TableDef& table, const ForeignKey& fk, const TableDef* ref);
// A referential action as SQL writes it ("NO ACTION", "CASCADE", "SET NULL", ...):
// pg_get_constraintdef's words and information_schema.referential_constraints' update_rule /
// delete_rule.
const char* ForeignKeyActionText(ast::ForeignKeyAction action);
// quote_ident.
std::string QuoteIdent(std::string_view name);

}  // namespace sqlrite::engine::catalog
