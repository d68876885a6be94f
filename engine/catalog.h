#pragma once
// Catalog: the table definitions and schemas of one database, persisted in a B+tree whose root is
// in the pager's MetaSlot::kCatalogRoot and cached in memory. A relation's key is RelationKey
// (its name for a relation of public, so a directory older than schemas reads unchanged, else
// schema NUL name); its value the encoded TableDef. A schema made by CREATE SCHEMA is stored
// under NUL name (no relation key starts with NUL: PostgreSQL's names never hold one). Table
// and schema oids come from a counter in MetaSlot::kUser1.
//
// The schema version (MetaSlot::kSchemaVersion, SQLite's schema cookie) counts the changes that
// alter what a reader needs (a table created or dropped, an index created or dropped: its
// columns, trees and indexes); saving
// a definition whose shape is unchanged (next_rowid) does not count. Committed states with the
// same version have the same shapes, so a reader's catalog is cached per version
// (Database::CatalogAt) and rebuilt only after DDL.
//
// Changes go through the pager like any other write, so they commit or roll back with the
// statement; after a Pager::Rollback the owner calls Reload() to drop the cached changes too.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/expression.h"
#include "engine/sql/ast.h"
#include "engine/types.h"
#include "engine/types/enum_type.h"
#include "engine/value.h"
#include "storage/pager.h"

namespace sqlrite::engine {

struct ColumnDef {
  std::string name;
  SqlType type;
  bool not_null = false;
  bool has_default = false;
  Datum default_value;  // a constant, evaluated at CREATE TABLE
  // A default that is not a constant (nextval, random(), ...): its SQL text, evaluated per row
  // (engine/column_defaults.h); default_value is then NULL. Empty: the default is the constant.
  std::string default_sql;
  // A constant default as written (deparsed: "0", "'abc'", "-1.5"), for the catalogs
  // (pg_get_expr); empty for a default older than it, or one that is not a constant.
  std::string default_text;
  // default_sql parsed when the definition is loaded (not stored).
  std::shared_ptr<const ast::Expr> default_expr;
  // GENERATED ALWAYS ('a') | BY DEFAULT ('d') AS IDENTITY; 0: not an identity column.
  char identity = 0;
  // What this column reads in a row stored before ALTER TABLE ... ADD COLUMN made it (such a
  // record is shorter than the table: PostgreSQL's attmissingval): the constant default the
  // column was added with, else NULL. Later SET DEFAULT does not change it.
  Datum missing_value;
  // COMMENT ON COLUMN's text (pg_description); empty: none.
  std::string comment;
  // GENERATED ALWAYS AS (expr) STORED ('s', PostgreSQL's attgenerated; 0: not generated): the
  // expression's SQL text over the table's columns, computed on INSERT and UPDATE and stored in
  // the row (engine/generated_columns.h).
  char generated = 0;
  std::string generated_sql;
  // generated_sql parsed, bound over the table's columns and coerced to the column's type when
  // the definition is loaded (not stored).
  std::shared_ptr<const BoundExpr> generated_expr;
  // COLLATE "C" / "POSIX" as written in the definition (pg_attribute.attcollation); empty: the
  // type's default. Text compares bytewise under every one of them (docs/decisions.md).
  std::string collation;
};

// A key column's options as written in CREATE INDEX (PostgreSQL's pg_index.indoption bits), kept
// for the catalogs (psql's \d, pg_get_indexdef); the tree itself is always in ascending order
// with NULLs last (see engine/index_path.h).
enum IndexOption : uint8_t { kIndexDesc = 1, kIndexNullsFirst = 2 };

// A sequence's options (PostgreSQL's pg_sequence row), for a TableDef of kind kSequence.
struct SequenceDef {
  TypeId type = TypeId::kInt8;
  int64_t increment = 1;
  int64_t min_value = 1;
  int64_t max_value = INT64_MAX;
  int64_t start = 1;
  int64_t cache = 1;
  bool cycle = false;
  // OWNED BY table.column (dropped with the table); empty: not owned. The table's
  // RelationKey (its bare name in public).
  std::string owned_by_table;
  std::string owned_by_column;
};

// What a catalog entry is, as PostgreSQL's pg_class.relkind.
enum class RelKind : char { kTable = 'r', kSequence = 'S', kView = 'v' };

struct IndexDef {
  std::string name;  // "t_pkey", "t_b_key", "t_a_idx"
  // pg_class.oid of the index, from the table oids' counter (Catalog::Create / SaveShape).
  // 0 in an entry written before indexes had oids: the catalogs then show LegacyIndexOid.
  uint32_t oid = 0;
  std::vector<int> columns;  // key column positions
  bool primary = false;
  // Unique entries (PRIMARY KEY, UNIQUE, CREATE UNIQUE INDEX): a key without NULLs maps to one
  // row. A non-unique index appends the rowid key to every entry (engine/table_access.h).
  bool unique = true;
  // Made by a PRIMARY KEY or UNIQUE constraint (dropped with it), not by CREATE INDEX.
  bool constraint = true;
  bool nulls_not_distinct = false;  // UNIQUE NULLS NOT DISTINCT: NULLs collide like values
  // A PRIMARY KEY / UNIQUE constraint's DEFERRABLE [INITIALLY DEFERRED]: a duplicate its
  // statement leaves is checked again at COMMIT (or SET CONSTRAINTS ... IMMEDIATE) rather than
  // refused at once (engine/deferred_unique.h).
  bool deferrable = false;
  bool initially_deferred = false;
  std::vector<uint8_t> options;  // per key column: IndexOption bits; empty: all default
  std::vector<int> include;      // INCLUDE columns (not part of the key)
  // The index tree. kInvalidPage for a primary key on a single integer column: that column is
  // the rowid, so the table tree itself enforces uniqueness.
  storage::PageId root = storage::kInvalidPage;
  // COMMENT ON INDEX's text, and for an index made by a constraint COMMENT ON CONSTRAINT's
  // (PostgreSQL's index and constraint are two objects, each with its own description); empty:
  // none.
  std::string comment;
  std::string constraint_comment;
  // CLUSTER t USING this index (pg_index.indisclustered): the one a bare CLUSTER t uses.
  bool clustered = false;
  // An expression index (CREATE INDEX ON t ((lower(b)))): per key column, the expression's SQL
  // text (libpg_query's deparse, as a CHECK's) where columns[k] is kIndexExpression, else empty.
  // Empty vector: every key is a column. Bound over the table's columns when the definition is
  // made or loaded (bound_expressions, same length; null for a column), as a CHECK is.
  std::vector<std::string> expressions;
  std::vector<std::shared_ptr<const BoundExpr>> bound_expressions;
  // A partial index (CREATE INDEX ... WHERE predicate): the predicate's SQL text and its binding;
  // only rows for which it is true have an entry. Empty: every row.
  std::string predicate;
  std::shared_ptr<const BoundExpr> bound_predicate;
  bool has_expressions() const { return !expressions.empty(); }
  bool partial() const { return !predicate.empty(); }
};
// IndexDef::columns' entry for a key that is an expression (IndexDef::expressions).
inline constexpr int kIndexExpression = -1;

// CHECK (expr): stored as its SQL text, as an expression default is (docs/decisions.md); bound
// over the table's columns when the definition is loaded.
struct CheckConstraint {
  std::string name;  // "t_a_check", or as written
  std::string sql;   // the expression, deparsed
  // sql parsed and bound when the definition is loaded (not stored): a boolean over the row.
  std::shared_ptr<const BoundExpr> bound;
  std::string comment;  // COMMENT ON CONSTRAINT's text; empty: none
};

// FOREIGN KEY (columns) REFERENCES ref_table (ref_columns), as PostgreSQL's pg_constraint row of
// contype 'f'. ref_columns are those of a unique index or the primary key of ref_table; the
// table refers to ref_table by its RelationKey (ALTER TABLE ... RENAME TO rewrites the
// references).
struct ForeignKey {
  std::string name;          // "c_p_fkey"
  std::vector<int> columns;  // this table's key columns
  std::string ref_table;
  std::vector<int> ref_columns;  // ref_table's columns, one per key column
  ast::ForeignKeyAction on_update = ast::ForeignKeyAction::kNoAction;
  ast::ForeignKeyAction on_delete = ast::ForeignKeyAction::kNoAction;
  // ON DELETE SET NULL / SET DEFAULT (columns): the key columns set; empty: all of them.
  std::vector<int> delete_set_columns;
  char match = 's';  // 's' MATCH SIMPLE (a NULL in the key skips the check), 'f' MATCH FULL
  // DEFERRABLE: its checks may wait for COMMIT (SET CONSTRAINTS); INITIALLY DEFERRED: they do
  // unless SET CONSTRAINTS says otherwise (engine/foreign_keys.h).
  bool deferrable = false;
  bool initially_deferred = false;
  std::string comment;  // COMMENT ON CONSTRAINT's text; empty: none
};

struct TableDef {
  std::string name;
  // The schema (pg_namespace) it lives in: "public" or one made by CREATE SCHEMA.
  std::string schema = "public";
  uint32_t oid = 0;
  std::vector<ColumnDef> columns;
  storage::PageId root = storage::kInvalidPage;  // rowid -> row record
  int rowid_column = -1;  // the INTEGER PRIMARY KEY column, or -1: a hidden counter
  std::vector<IndexDef> indexes;
  int64_t next_rowid = 1;
  // The next rowid as the catalog stores it: every hidden rowid handed out is below it. InsertRow
  // moves it kRowidReserve past next_rowid when next_rowid passes it, so an INSERT writes the
  // table's catalog entry once per kRowidReserve hidden rowids rather than once per statement;
  // after a restart numbering resumes from it, with a gap of at most kRowidReserve (as
  // PostgreSQL's sequences log 32 values ahead). Equal to the stored value whenever the catalog
  // is saved or loaded.
  int64_t rowid_reserved = 1;
  static constexpr int64_t kRowidReserve = 64;
  // A sequence is a one-row table (last_value, log_cnt, is_called), as in PostgreSQL, so that
  // SELECT * FROM it and the name space it shares with tables need nothing special.
  RelKind kind = RelKind::kTable;
  SequenceDef sequence;                 // kind == kSequence
  std::vector<CheckConstraint> checks;  // in the order written (PostgreSQL checks by name)
  std::vector<ForeignKey> foreign_keys;
  // The names of checks / foreign_keys added NOT VALID (pg_constraint.convalidated false): the
  // rows stored before them were not checked.
  std::vector<std::string> not_valid;
  // The fewest columns a stored record of this table has: the column count when its rows were
  // last all written whole (CREATE TABLE, or an ALTER TABLE that rewrote them). The columns past
  // it were added by ADD COLUMN without a rewrite, and a record that lacks them reads their
  // missing values (engine/table_access.h FillMissingColumns). kEveryColumn: every record has
  // every column, so a shorter one is damage (XX001), never filled.
  static constexpr size_t kEveryColumn = static_cast<size_t>(-1);
  size_t min_record_columns = kEveryColumn;

  // kind == kView: its query as SQL text (libpg_query's deparse of CREATE VIEW's query), parsed
  // again when the definition is loaded (view_query, not stored), and the oids of the relations
  // the query reads (PostgreSQL's pg_depend rows for the view: dropping one of them needs
  // CASCADE, which drops the view too). A view has no tree; its columns are the query's, named
  // and typed as CREATE VIEW bound them.
  std::string view_sql;
  std::shared_ptr<const ast::Select> view_query;
  std::vector<uint32_t> view_depends;

  // COMMENT ON TABLE | VIEW | SEQUENCE's text (pg_description); empty: none. Comments live on
  // the objects they describe, so they are dropped, renamed and moved with them.
  std::string comment;

  // A system relation (engine/catalog/system_relation.h): no tree; its rows are produced from
  // the engine's catalog each time a scan opens. Null for a stored table.
  std::function<Result<std::vector<std::vector<Datum>>>()> system_rows;

  bool is_sequence() const { return kind == RelKind::kSequence; }
  bool is_view() const { return kind == RelKind::kView; }
  // A relation with rows of its own (a table or a sequence), not a view.
  bool has_storage() const { return kind != RelKind::kView; }

  int FindColumn(std::string_view column) const;
};

// A stored default's SQL text parsed back into an expression (XX001 if it does not parse).
Result<std::shared_ptr<const ast::Expr>> ParseDefaultExpr(std::string_view sql);
// A CHECK constraint's expression bound over def's columns: a boolean (42804 otherwise); a
// subquery is 0A000, an aggregate 42803, as PostgreSQL refuses them in check constraints.
Result<BoundExpr> BindCheckExpr(const TableDef& def, const ast::Expr& expr);

// A stored view query's SQL text parsed back (XX001 if it is not one SELECT).
Result<std::shared_ptr<const ast::Select>> ParseViewQuery(std::string_view sql);

// The schemas every database has: public (CREATE's default), and the system schemas
// pg_catalog and information_schema, whose relations are engine/catalog/system_relation.h's.
inline constexpr std::string_view kPublicSchema = "public";
bool IsSystemSchema(std::string_view schema);

// The catalog key of relation `name` in `schema` (see the file comment).
std::string RelationKey(std::string_view schema, std::string_view name);
inline std::string RelationKey(const TableDef& def) { return RelationKey(def.schema, def.name); }
// A key as PostgreSQL names the relation in messages when qualified: "s.t" ("t" in public).
std::string QualifiedName(std::string_view key);
// A key's schema and name parts ("public" for a bare name).
std::pair<std::string_view, std::string_view> SplitRelationKey(std::string_view key);

// A schema (pg_namespace row) made by CREATE SCHEMA.
struct SchemaDef {
  std::string name;
  uint32_t oid = 0;
  std::string owner;    // the owning role's name (AUTHORIZATION, else the creator)
  std::string comment;  // COMMENT ON SCHEMA's text; empty: none
};

// The catalog key of type `name` in `schema`: NUL NUL schema NUL name (no schema's or
// relation's key starts with two NULs: a schema name is never empty).
std::string TypeKey(std::string_view schema, std::string_view name);

class Catalog : public EnumTypeLookup {
 public:
  // Loads the catalog of the database in pager, creating the catalog tree if absent (that
  // creation is left uncommitted in the pager's current transaction).
  static Result<std::unique_ptr<Catalog>> Load(storage::Pager& pager);
  // A read-only catalog of the state `pages` shows (a snapshot): Create/Save/Drop/Reload are not
  // for it. Errors: the tree's (XX001 for a damaged page or entry).
  static Result<std::unique_ptr<const Catalog>> LoadReadOnly(storage::PageSource& pages);
  // The schema version of the state `pages` shows (see the file comment).
  static uint32_t SchemaVersion(const storage::PageSource& pages) {
    return pages.GetMeta(kSchemaVersion);
  }

  // By RelationKey (a bare name finds a relation of public).
  const TableDef* Find(std::string_view key) const;
  TableDef* FindMutable(std::string_view key);
  const std::map<std::string, TableDef, std::less<>>& tables() const { return tables_; }

  // Schemas made by CREATE SCHEMA, by name (the built-in public and the system schemas are not
  // in it; a schema that ALTER SCHEMA public RENAME TO made of the built-in public is, with
  // public's oid 2200, and so is one CREATE SCHEMA public made after DROP SCHEMA public).
  const std::map<std::string, SchemaDef, std::less<>>& schemas() const { return schemas_; }
  // Whether a schema of that name exists: public, a system schema or a created one.
  bool SchemaExists(std::string_view name) const;
  // The pg_namespace oid of an existing schema (0: none).
  uint32_t SchemaOid(std::string_view name) const;
  // Whether public is the built-in schema (oid 2200, owned by pg_database_owner), not dropped or
  // renamed. Its state entry (key NUL "public": name, 2200, owner, comment, and `dropped` when
  // it no longer exists) is written only once COMMENT, DROP or RENAME changed it.
  bool BuiltinPublic() const { return !public_dropped_; }
  // Assigns the oid and stores def. REQUIRES: no schema of that name.
  Status CreateSchema(SchemaDef def);
  // REQUIRES: a created schema, or the built-in public, holding no relation.
  Status DropSchema(std::string_view name);
  // ALTER SCHEMA ... RENAME TO: the schema and every relation in it re-keyed, oids and trees
  // kept, and the references by key (foreign keys, owned sequences) rewritten.
  // The built-in public renamed becomes a created schema keeping oid 2200 and its owner and
  // comment (and renamed back to public, the built-in one again).
  // REQUIRES: from is a created schema or the built-in public, no schema is called to.
  Status RenameSchema(std::string_view from, const std::string& to);
  // COMMENT ON SCHEMA: a created schema's comment, or the built-in public's (stored in public's
  // state entry, see below; without one public has PostgreSQL's initdb comment "standard public
  // schema"). Empty text: none. REQUIRES: name is the built-in public or a created schema.
  Status SetSchemaComment(std::string_view name, std::string text);
  // The comment of a schema (public's included; empty: none).
  std::string SchemaComment(std::string_view name) const;
  // Writes def back after a change of its comments: counted as a change of shape, so that the
  // readers' cached catalogs (and so pg_description) see it.
  Status SaveComment(TableDef& def) { return SaveShape(def); }

  // Assigns the oid and stores def. REQUIRES: no table of that name.
  Status Create(TableDef def);
  // Writes def (already changed in place through FindMutable) back to the tree.
  Status Save(const TableDef& def);
  // Save for a change of def's shape (an index created, dropped or renamed): bumps the schema
  // version, so readers and kept plans see the new shape.
  // Gives each index without an oid the next one.
  Status SaveShape(TableDef& def);
  Status Drop(std::string_view name);
  // ALTER TABLE ... RENAME TO: the entry of key `from` stored under `to` in its schema, its oid
  // and trees kept. REQUIRES: from exists, no relation of its schema is called to.
  Status Rename(std::string_view from, const std::string& to);
  // ALTER TABLE ... SET SCHEMA: the entry of key `from` moved to `schema`, the references by key
  // rewritten. REQUIRES: from exists, schema exists and holds no relation of its name.
  Status MoveToSchema(std::string_view from, const std::string& schema);
  // Re-reads every definition from the tree (after a rollback).
  Status Reload();

  // Enum types (CREATE TYPE ... AS ENUM), by TypeKey; and by oid (EnumTypeLookup).
  const std::map<std::string, EnumTypePtr, std::less<>>& types() const { return types_; }
  EnumTypePtr FindType(std::string_view schema, std::string_view name) const override;
  EnumTypePtr FindEnum(uint32_t oid) const override;
  // Assigns the type's oid and its array type's (the next two) and each label's, and stores it.
  // REQUIRES: no type of that name in its schema.
  Status CreateType(EnumType def);
  // Stores def in place of the type of its oid (labels added or renamed, a comment, a new name
  // or schema); labels without an oid get one.
  Status SaveType(EnumType def);
  // REQUIRES: the type exists.
  Status DropType(uint32_t oid);

  // Use Load(); public only for std::make_unique.
  explicit Catalog(storage::Pager& pager) : pager_(&pager), source_(&pager) {}
  explicit Catalog(storage::PageSource& pages) : pager_(nullptr), source_(&pages) {}

 private:
  static constexpr storage::MetaSlot kSchemaVersion = storage::MetaSlot::kUser2;
  void BumpSchemaVersion();
  uint32_t NextOid();  // from the counter in MetaSlot::kUser1
  // The entry of key `from` stored again as def's (renamed or moved) key; references by key to
  // it rewritten in every other entry.
  Status Rekey(std::string_view from, TableDef def);

  storage::Pager* pager_;        // null: read-only
  storage::PageSource* source_;  // what Reload reads (the pager, or a snapshot)
  std::map<std::string, TableDef, std::less<>> tables_;  // by RelationKey
  std::map<std::string, SchemaDef, std::less<>> schemas_;
  std::map<std::string, EnumTypePtr, std::less<>> types_;  // by TypeKey
  // public's comment when COMMENT ON SCHEMA public stored one (an empty one: removed).
  std::optional<std::string> public_comment_;
  // DROP SCHEMA public or ALTER SCHEMA public RENAME TO ran (its state entry says so).
  bool public_dropped_ = false;
  // Writes public's state entry (unless a created schema named public holds the key).
  Status SavePublicState();
};

}  // namespace sqlrite::engine
