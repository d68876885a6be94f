#include <algorithm>

#include "common/assert.h"
#include "engine/catalog/system_relation.h"
#include "engine/create_table_as.h"
#include "engine/executor.h"
#include "engine/generated_columns.h"
#include "engine/notice.h"
#include "engine/sequence.h"
#include "engine/table_access.h"
#include "engine/table_constraints.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

Result<std::vector<int>> KeyColumns(const TableDef& def, const std::vector<std::string>& names,
                                    int location) {
  std::vector<int> cols;
  for (const std::string& n : names) {
    int c = def.FindColumn(n);
    if (c < 0) {
      return Fail(
          Error(sqlstate::kUndefinedColumn, "column \"" + n + "\" named in key does not exist")
              .WithPosition(location >= 0 ? location + 1 : 0));
    }
    cols.push_back(c);
  }
  return cols;
}

std::string UniqueName(const TableDef& def, std::string base) {
  std::string name = base;
  for (int n = 1;; ++n) {
    bool taken = false;
    for (const IndexDef& ix : def.indexes) taken |= ix.name == name;
    if (!taken) return name;
    name = base + std::to_string(n);
  }
}

}  // namespace

const TableDef* LookupTable(ExecContext& ctx, const ast::TableName& name) {
  const Catalog& catalog = CatalogOf(ctx);
  return FindRelation(catalog, SessionSearchPath(catalog, ctx.session), name);
}

Result<std::string> CreationKey(ExecContext& ctx, const ast::TableName& name) {
  const Catalog& catalog = CatalogOf(ctx);
  SQLRITE_ASSIGN_OR_RETURN(std::string schema,
                           CreationSchema(catalog, SessionSearchPath(catalog, ctx.session), name));
  return RelationKey(schema, name.name);
}

Status RefuseSystemRelation(const ast::TableName& name, const char* verb) {
  if (const catalog::SystemRelation* rel = catalog::ResolveSystemRelation(name.schema, name.name)) {
    return Fail(catalog::SystemRelationWriteError(*rel, verb));
  }
  // information_schema holds only its system relations: never a table of public by that name.
  if (name.schema == "information_schema") {
    return Fail(Error(sqlstate::kUndefinedTable,
                      "relation \"" + name.schema + "." + name.name + "\" does not exist")
                    .WithPosition(name.location >= 0 ? name.location + 1 : 0));
  }
  return Ok();
}

tl::unexpected<Error> UndefinedTable(ExecContext& ctx, const ast::TableName& name, bool ddl) {
  const Catalog& catalog = CatalogOf(ctx);
  if (ddl) return UndefinedRelation(catalog, name);
  ast::TableName as_query = name;
  // A query's missing schema is a missing relation (PostgreSQL's parserOpenTable).
  if (!as_query.schema.empty() && !catalog.SchemaExists(as_query.schema)) {
    return Fail(Error(sqlstate::kUndefinedTable,
                      "relation \"" + name.schema + "." + name.name + "\" does not exist")
                    .WithPosition(name.location >= 0 ? name.location + 1 : 0));
  }
  return UndefinedRelation(catalog, name);
}

Status SetColumnDefault(ColumnDef& col, const ast::Expr& expr, const std::string& sql) {
  Scope no_columns;
  Binder binder(no_columns);
  binder.SetClause("DEFAULT expressions");
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(expr));
  SQLRITE_ASSIGN_OR_RETURN(
      e, CoerceForAssignment(std::move(e), col.type, col.name, ExprLocation(expr)));
  col.default_value = Datum{};
  col.default_text.clear();
  col.default_sql.clear();
  col.default_expr.reset();
  if (e.IsConst()) {
    col.default_value = std::move(e.value);
    col.default_text = sql;
  } else {
    // Evaluated per row (nextval, random(), ...): kept as its SQL text.
    col.default_sql = sql;
    SQLRITE_ASSIGN_OR_RETURN(col.default_expr, ParseDefaultExpr(col.default_sql));
  }
  col.has_default = true;
  return Ok();
}

Result<ColumnDef> MakeColumnDef(ExecContext& ctx, const std::string& table_key,
                                const ast::ColumnDef& c) {
  const auto [schema, table_name] = SplitRelationKey(table_key);
  ColumnDef col;
  col.name = c.name;
  col.type = c.type;
  if (!c.type_name.empty()) {
    SQLRITE_ASSIGN_OR_RETURN(
        EnumTypePtr t,
        ResolveEnumType(c.type_name, c.type_location >= 0 ? c.type_location + 1 : 0));
    col.type.enum_oid = t->oid;
  }
  col.not_null = c.not_null;
  if (!c.collation.empty()) {
    // COLLATE: only the collatable types take one (text and its kin, and arrays of them).
    const TypeId t = col.type.id == TypeId::kArray ? col.type.elem : col.type.id;
    if (!IsStringType(t) || t == TypeId::kEnum || t == TypeId::kChar) {
      return Fail(Error(sqlstate::kDatatypeMismatch,
                        "collations are not supported by type " + SqlTypeName(col.type))
                      .WithPosition(c.collation_location >= 0 ? c.collation_location + 1 : 0));
    }
    if (c.collation != "default") col.collation = c.collation;
  }
  if (c.default_value) SQLRITE_TRY(SetColumnDefault(col, *c.default_value, c.default_sql));
  if (c.serial || c.identity != 0) {
    if (!IsIntegerType(col.type.id)) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "identity column type must be smallint, integer, or bigint");
    }
    // PostgreSQL makes the column's sequence before the table (its OWNED BY is the table).
    ast::SequenceOptions options = c.identity_options;
    options.as_type = col.type;
    SQLRITE_ASSIGN_OR_RETURN(SequenceDef q,
                             ApplySequenceOptions(options, SequenceDef{}, true, nullptr));
    q.owned_by_table = table_key;
    q.owned_by_column = col.name;
    std::string seq_name = c.identity_options.sequence_name;
    if (seq_name.empty()) {
      seq_name = ChooseSequenceName(ctx.db.catalog(), schema, std::string(table_name), col.name);
    }
    const std::string seq_key = RelationKey(schema, seq_name);
    if (RelationNameTaken(ctx.db.catalog(), seq_key)) {
      return Fail(sqlstate::kDuplicateTable, "relation \"" + seq_name + "\" already exists");
    }
    SQLRITE_TRY(CreateSequenceObject(ctx.db, seq_key, std::move(q)));
    col.default_sql = NextvalDefaultSql(seq_key);
    SQLRITE_ASSIGN_OR_RETURN(col.default_expr, ParseDefaultExpr(col.default_sql));
    col.has_default = true;
    col.identity = c.identity;
  }
  return col;
}

static Result<QueryResult> ExecuteCreateTableUnguarded(ExecContext& ctx,
                                                       const ast::CreateTable& stmt) {
  if (stmt.as != nullptr) return ExecuteCreateTableAs(ctx, stmt);
  QueryResult result;
  result.command_tag = "CREATE TABLE";
  const std::string& table_name = stmt.table.name;
  SQLRITE_ASSIGN_OR_RETURN(const std::string table_key, CreationKey(ctx, stmt.table));
  if (RelationNameTaken(ctx.db.catalog(), table_key)) {
    if (stmt.if_not_exists) {
      result.notices.push_back(Notice(sqlstate::kDuplicateTable,
                                      "relation \"" + table_name + "\" already exists, skipping"));
      return result;
    }
    return Fail(sqlstate::kDuplicateTable, "relation \"" + table_name + "\" already exists");
  }
  TableDef def;
  def.name = table_name;
  def.schema = SplitRelationKey(table_key).first;
  for (const ast::ColumnDef& c : stmt.columns) {
    if (def.FindColumn(c.name) >= 0) {
      return Fail(sqlstate::kDuplicateColumn, "column \"" + c.name + "\" specified more than once");
    }
    SQLRITE_ASSIGN_OR_RETURN(ColumnDef col, MakeColumnDef(ctx, table_key, c));
    def.columns.push_back(std::move(col));
  }
  // Generation expressions read the other columns: bound once every column is in place.
  for (size_t i = 0; i < stmt.columns.size(); ++i) {
    const ast::ColumnDef& c = stmt.columns[i];
    if (c.generated == nullptr) continue;
    SQLRITE_TRY(
        SetGenerationExpression(def, i, *c.generated, c.generated_sql, c.generated_location));
  }
  // Keys: column constraints first, then table constraints, in the order written.
  struct Key {
    bool primary;
    std::vector<int> columns;
    int location;
    std::string name;  // CONSTRAINT name; empty: PostgreSQL's
    bool deferrable = false;
    bool initially_deferred = false;
  };
  std::vector<Key> keys;
  for (size_t i = 0; i < stmt.columns.size(); ++i) {
    const ast::ColumnDef& c = stmt.columns[i];
    if (c.primary_key) keys.push_back({true, {static_cast<int>(i)}, c.location, {}});
    if (c.unique) keys.push_back({false, {static_cast<int>(i)}, c.location, {}});
  }
  for (const ast::TableConstraint& tc : stmt.constraints) {
    if (tc.kind != ast::TableConstraint::kPrimaryKey && tc.kind != ast::TableConstraint::kUnique) {
      continue;  // CHECK and FOREIGN KEY: below, once the keys exist
    }
    SQLRITE_ASSIGN_OR_RETURN(auto cols, KeyColumns(def, tc.columns, tc.location));
    keys.push_back({tc.kind == ast::TableConstraint::kPrimaryKey, std::move(cols), tc.location,
                    tc.name, tc.deferrable, tc.initially_deferred});
  }
  bool has_primary = false;
  for (const Key& k : keys) {
    if (!k.primary) continue;
    if (has_primary) {
      return Fail(Error(sqlstate::kInvalidTableDefinition,
                        "multiple primary keys for table \"" + table_name + "\" are not allowed")
                      .WithPosition(k.location >= 0 ? k.location + 1 : 0));
    }
    has_primary = true;
  }
  storage::Pager& pager = ctx.db.pager();
  SQLRITE_ASSIGN_OR_RETURN(def.root, storage::BTree::Create(pager));
  for (const Key& k : keys) {
    IndexDef ix;
    ix.primary = k.primary;
    ix.columns = k.columns;
    ix.deferrable = k.deferrable;
    ix.initially_deferred = k.initially_deferred;
    if (k.primary) {
      ix.name = UniqueName(def, table_name + "_pkey");
      for (int c : k.columns) def.columns[static_cast<size_t>(c)].not_null = true;
      TypeId t = def.columns[static_cast<size_t>(k.columns[0])].type.id;
      // A deferrable key may hold duplicates until its check: never the table tree's own key.
      if (k.columns.size() == 1 && IsIntegerType(t) && !k.deferrable) {
        def.rowid_column = k.columns[0];  // the table tree is the index
      }
    } else {
      std::string base = table_name;
      for (int c : k.columns) base += "_" + def.columns[static_cast<size_t>(c)].name;
      ix.name = UniqueName(def, base + "_key");
    }
    if (!k.name.empty()) ix.name = k.name;
    if (!(k.primary && def.rowid_column >= 0)) {
      SQLRITE_ASSIGN_OR_RETURN(ix.root, storage::BTree::Create(pager));
    }
    def.indexes.push_back(std::move(ix));
  }
  SQLRITE_TRY(AddCheckConstraints(ctx.db.catalog(), def, stmt.constraints));
  SQLRITE_TRY(AddForeignKeys(ctx.db.catalog(), SessionSearchPath(ctx.db.catalog(), ctx.session),
                             def, stmt.constraints));
  SQLRITE_TRY(ctx.db.catalog().Create(std::move(def)));
  return result;
}

// The foreign keys of other tables that reference the tables DROP TABLE drops: 2BP01, or with
// CASCADE dropped first (with PostgreSQL's NOTICE), as its dependency walk does.
static Status DropReferencingKeys(ExecContext& ctx, const ast::DropTable& stmt,
                                  QueryResult& result) {
  std::vector<std::string> dropped;
  for (const ast::TableName& name : stmt.tables) {
    const TableDef* def = LookupTable(ctx, name);
    if (def != nullptr && !def->is_sequence()) dropped.push_back(RelationKey(*def));
  }
  struct Dependent {
    ReferencingKey key;
    std::string referenced;
  };
  std::vector<Dependent> dependents;
  for (const std::string& table : dropped) {
    for (ReferencingKey& key : ReferencesTo(ctx.db.catalog(), table)) {
      if (std::find(dropped.begin(), dropped.end(), key.table) != dropped.end()) continue;
      dependents.push_back({std::move(key), table});
    }
  }
  if (dependents.empty()) return Ok();
  auto describe = [](const Dependent& d) {
    return "constraint " + d.key.constraint + " on table " + QualifiedName(d.key.table);
  };
  if (!stmt.cascade) {
    std::string detail;
    for (const Dependent& d : dependents) {
      if (!detail.empty()) detail += "\n";
      detail += describe(d) + " depends on table " + QualifiedName(d.referenced);
    }
    const std::string message =
        dropped.size() == 1
            ? "cannot drop table " + QualifiedName(dropped[0]) +
                  " because other objects depend on it"
            : std::string("cannot drop desired object(s) because other objects depend on them");
    return Fail(Error(sqlstate::kDependentObjectsStillExist, message)
                    .WithDetail(detail)
                    .WithHint("Use DROP ... CASCADE to drop the dependent objects too."));
  }
  if (dependents.size() == 1) {
    result.notices.push_back(
        Notice(sqlstate::kSuccessfulCompletion, "drop cascades to " + describe(dependents[0])));
  } else {
    std::string detail;
    for (const Dependent& d : dependents) {
      if (!detail.empty()) detail += "\n";
      detail += "drop cascades to " + describe(d);
    }
    result.notices.push_back(
        Notice(sqlstate::kSuccessfulCompletion,
               "drop cascades to " + std::to_string(dependents.size()) + " other objects")
            .WithDetail(detail));
  }
  for (const Dependent& d : dependents) {
    TableDef* table = ctx.db.catalog().FindMutable(d.key.table);
    SQLRITE_ASSERT(table != nullptr);
    std::erase_if(table->foreign_keys,
                  [&d](const ForeignKey& fk) { return fk.name == d.key.constraint; });
    SQLRITE_TRY(ctx.db.catalog().SaveShape(*table));
  }
  return Ok();
}

static Result<QueryResult> ExecuteDropTableUnguarded(ExecContext& ctx, const ast::DropTable& stmt) {
  QueryResult result;
  result.command_tag = "DROP TABLE";
  SQLRITE_TRY(DropReferencingKeys(ctx, stmt, result));

  std::set<std::string> dropping;
  for (const ast::TableName& name : stmt.tables) {
    if (const TableDef* def = LookupTable(ctx, name)) dropping.insert(RelationKey(*def));
  }
  for (const ast::TableName& name : stmt.tables) {
    SQLRITE_TRY(RefuseSystemRelation(name));
    if (!name.schema.empty() && !ctx.db.catalog().SchemaExists(name.schema)) {
      if (!stmt.if_exists) return UndefinedTable(ctx, name, /*ddl=*/true);
      result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                      "schema \"" + name.schema + "\" does not exist, skipping"));
      continue;
    }
    const TableDef* def = LookupTable(ctx, name);
    const std::string key =
        def != nullptr ? RelationKey(*def)
                       : RelationKey(name.schema.empty() ? kPublicSchema : name.schema, name.name);
    if (def == nullptr && RelationNameTaken(ctx.db.catalog(), key)) {
      // An index's name: PostgreSQL refuses the wrong kind of relation, IF EXISTS or not.
      return Fail(Error(sqlstate::kWrongObjectType, "\"" + name.name + "\" is not a table")
                      .WithHint("Use DROP INDEX to remove an index."));
    }
    if (def == nullptr) {
      if (stmt.if_exists) {
        result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                        "table \"" + name.name + "\" does not exist, skipping"));
        continue;
      }
      return Fail(sqlstate::kUndefinedTable, "table \"" + name.name + "\" does not exist");
    }
    if (!def->is_sequence() && !def->is_view()) {
      SQLRITE_TRY(DropDependentViews(ctx, *def, stmt.cascade, dropping, result.notices));
    }
    if (def->is_sequence() || def->is_view()) {
      return Fail(Error(sqlstate::kWrongObjectType, "\"" + name.name + "\" is not a table")
                      .WithHint(def->is_view() ? "Use DROP VIEW to remove a view."
                                               : "Use DROP SEQUENCE to remove a sequence."));
    }
    // The sequences its columns own (SERIAL, identity) go with it.
    std::vector<std::string> owned;
    for (const auto& [seq_name, seq] : ctx.db.catalog().tables()) {
      if (seq.is_sequence() && seq.sequence.owned_by_table == key) owned.push_back(seq_name);
    }
    for (const std::string& seq_name : owned) {
      // A view reading the sequence goes (CASCADE) or stops the drop, as for the table.
      if (const TableDef* seq = ctx.db.catalog().Find(seq_name); seq != nullptr) {
        SQLRITE_TRY(DropDependentViews(ctx, *seq, stmt.cascade, dropping, result.notices));
      }
      SQLRITE_TRY(DropSequenceObject(ctx.db, seq_name));
    }
    for (const IndexDef& ix : def->indexes) {
      if (ix.root != storage::kInvalidPage) {
        SQLRITE_TRY(storage::BTree(ctx.db.pager(), ix.root).Drop());
      }
    }
    SQLRITE_TRY(storage::BTree(ctx.db.pager(), def->root).Drop());
    SQLRITE_TRY(ctx.db.catalog().Drop(key));
    dropping.erase(key);
  }
  return result;
}

// A table TRUNCATE empties must not be referenced by a table it leaves (0A000, as PostgreSQL's
// heap_truncate_check_FKs); with CASCADE those tables are emptied too, each with a NOTICE.
static Status TruncateReferencingTables(ExecContext& ctx, const ast::Truncate& stmt,
                                        std::vector<const TableDef*>& tables, QueryResult& result) {
  auto listed = [&tables](const std::string& key) {
    return std::any_of(tables.begin(), tables.end(),
                       [&key](const TableDef* t) { return RelationKey(*t) == key; });
  };
  for (size_t i = 0; i < tables.size(); ++i) {
    for (const ReferencingKey& key : ReferencesTo(ctx.db.catalog(), RelationKey(*tables[i]))) {
      if (listed(key.table)) continue;
      if (!stmt.cascade) {
        return Fail(Error(sqlstate::kFeatureNotSupported,
                          "cannot truncate a table referenced in a foreign key constraint")
                        .WithDetail("Table \"" + QualifiedName(key.table) + "\" references \"" +
                                    tables[i]->name + "\".")
                        .WithHint("Truncate table \"" + QualifiedName(key.table) +
                                  "\" at the same time, or use TRUNCATE ... CASCADE."));
      }
      result.notices.push_back(
          Notice(sqlstate::kSuccessfulCompletion,
                 "truncate cascades to table \"" + QualifiedName(key.table) + "\""));
      tables.push_back(ctx.db.catalog().Find(key.table));
    }
  }
  return Ok();
}

static Result<QueryResult> ExecuteTruncateUnguarded(ExecContext& ctx, const ast::Truncate& stmt) {
  std::vector<const TableDef*> tables;
  for (const ast::TableName& name : stmt.tables) {
    SQLRITE_TRY(RefuseSystemRelation(name));
    const TableDef* def = LookupTable(ctx, name);
    if (def == nullptr) return UndefinedTable(ctx, name, /*ddl=*/true);
    if (def->is_sequence() || def->is_view()) {
      return Fail(sqlstate::kWrongObjectType, "\"" + name.name + "\" is not a table");
    }
    tables.push_back(def);
  }
  QueryResult result;
  SQLRITE_TRY(TruncateReferencingTables(ctx, stmt, tables, result));
  for (const TableDef* def : tables) SQLRITE_TRY(ClearTable(ctx.db, *def));
  if (stmt.restart_identity) {
    // The sequences owned by the tables' columns (SERIAL, identity) start over, those of the
    // tables CASCADE reached included (as PostgreSQL's ExecuteTruncateGuts).
    for (const TableDef* def : tables) {
      for (const auto& [name, seq] : ctx.db.catalog().tables()) {
        if (!seq.is_sequence() || seq.sequence.owned_by_table != RelationKey(*def)) continue;
        SQLRITE_TRY(
            ctx.db.sequences().Restart(ctx.db, seq, InitialSequenceState(seq.sequence.start)));
      }
    }
  }
  result.command_tag = "TRUNCATE TABLE";
  return result;
}

Result<QueryResult> ExecuteCreateTable(ExecContext& ctx, const ast::CreateTable& stmt) {
  return GuardStatement([&] { return ExecuteCreateTableUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteDropTable(ExecContext& ctx, const ast::DropTable& stmt) {
  return GuardStatement([&] { return ExecuteDropTableUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteTruncate(ExecContext& ctx, const ast::Truncate& stmt) {
  return GuardStatement([&] { return ExecuteTruncateUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
