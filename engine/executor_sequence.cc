// CREATE / ALTER / DROP SEQUENCE, and the sequences a SERIAL or identity column makes.

#include <utility>

#include "common/assert.h"
#include "engine/executor.h"
#include "engine/notice.h"
#include "engine/sequence.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

// Whether a column's default is nextval of the sequence of key `key` (a SERIAL's, an
// identity's, or one written as DEFAULT nextval('name')): PostgreSQL's dependency of the default
// on it.
bool DefaultUses(const ColumnDef& col, const std::string& key) {
  return !col.default_sql.empty() && col.default_sql == NextvalDefaultSql(key);
}

Result<QueryResult> CreateSequenceUnguarded(ExecContext& ctx, const ast::CreateSequence& stmt) {
  QueryResult result;
  result.command_tag = "CREATE SEQUENCE";
  const std::string& name = stmt.name.name;
  SQLRITE_ASSIGN_OR_RETURN(const std::string key, CreationKey(ctx, stmt.name));
  // Indexes share the relation namespace (42P07), as in PostgreSQL.
  if (RelationNameTaken(ctx.db.catalog(), key)) {
    if (stmt.if_not_exists) {
      result.notices.push_back(
          Notice(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists, skipping"));
      return result;
    }
    return Fail(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  SQLRITE_ASSIGN_OR_RETURN(SequenceDef q,
                           ApplySequenceOptions(stmt.options, SequenceDef{}, true, nullptr));
  SQLRITE_TRY(SetOwner(ctx.db, stmt.options, q));
  SQLRITE_TRY(CreateSequenceObject(ctx.db, key, std::move(q)));
  return result;
}

Result<QueryResult> AlterSequenceUnguarded(ExecContext& ctx, const ast::AlterSequence& stmt) {
  QueryResult result;
  result.command_tag = "ALTER SEQUENCE";
  const std::string& name = stmt.name.name;
  const TableDef* found = LookupTable(ctx, stmt.name);
  TableDef* def = found != nullptr ? ctx.db.catalog().FindMutable(RelationKey(*found)) : nullptr;
  if (def == nullptr) {
    if (stmt.if_exists) {
      result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                      "relation \"" + name + "\" does not exist, skipping"));
      return result;
    }
    return UndefinedTable(ctx, stmt.name, /*ddl=*/true);
  }
  if (!def->is_sequence()) {
    return Fail(sqlstate::kWrongObjectType, "\"" + name + "\" is not a sequence");
  }
  std::optional<int64_t> restart;
  SQLRITE_ASSIGN_OR_RETURN(SequenceDef q,
                           ApplySequenceOptions(stmt.options, def->sequence, false, &restart));
  SQLRITE_TRY(SetOwner(ctx.db, stmt.options, q));
  def->sequence = std::move(q);
  SQLRITE_TRY(ctx.db.catalog().Save(*def));
  if (restart) SQLRITE_TRY(ctx.db.sequences().Put(ctx.db, *def, InitialSequenceState(*restart)));
  return result;
}

Result<QueryResult> DropSequenceUnguarded(ExecContext& ctx, const ast::DropSequence& stmt) {
  QueryResult result;
  result.command_tag = "DROP SEQUENCE";
  Catalog& catalog = ctx.db.catalog();
  for (const ast::TableName& name : stmt.names) {
    const TableDef* def = LookupTable(ctx, name);
    if (def == nullptr && !name.schema.empty() && !catalog.SchemaExists(name.schema)) {
      if (!stmt.if_exists) return UndefinedTable(ctx, name, /*ddl=*/true);
      result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                      "schema \"" + name.schema + "\" does not exist, skipping"));
      continue;
    }
    if (def == nullptr) {
      if (stmt.if_exists) {
        result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                        "sequence \"" + name.name + "\" does not exist, skipping"));
        continue;
      }
      return Fail(sqlstate::kUndefinedTable, "sequence \"" + name.name + "\" does not exist");
    }
    if (!def->is_sequence()) {
      return Fail(Error(sqlstate::kWrongObjectType, "\"" + name.name + "\" is not a sequence")
                      .WithHint(def->is_view() ? "Use DROP VIEW to remove a view."
                                               : "Use DROP TABLE to remove a table."));
    }
    const std::string key = RelationKey(*def);
    SQLRITE_TRY(DropDependentViews(ctx, *def, stmt.cascade, {}, result.notices));
    // Column defaults that call it: an identity column's sequence cannot go without the column;
    // a default's goes with CASCADE.
    std::vector<std::pair<std::string, size_t>> dependents;
    for (const auto& [table_name, table] : catalog.tables()) {
      for (size_t c = 0; c < table.columns.size(); ++c) {
        const ColumnDef& col = table.columns[c];
        if (!DefaultUses(col, key)) continue;
        if (col.identity != 0) {
          return Fail(Error(sqlstate::kDependentObjectsStillExist,
                            "cannot drop sequence " + name.name + " because column " + col.name +
                                " of table " + QualifiedName(table_name) + " requires it")
                          .WithHint("You can drop column " + col.name + " of table " +
                                    QualifiedName(table_name) + " instead."));
        }
        dependents.emplace_back(table_name, c);
      }
    }
    if (!dependents.empty() && !stmt.cascade) {
      std::string detail;
      for (const auto& [table_name, c] : dependents) {
        if (!detail.empty()) detail += "\n";
        detail += "default value for column " + catalog.Find(table_name)->columns[c].name +
                  " of table " + QualifiedName(table_name) + " depends on sequence " + name.name;
      }
      return Fail(Error(sqlstate::kDependentObjectsStillExist,
                        "cannot drop sequence " + name.name + " because other objects depend on it")
                      .WithDetail(std::move(detail))
                      .WithHint("Use DROP ... CASCADE to drop the dependent objects too."));
    }
    for (const auto& [table_name, c] : dependents) {
      TableDef* table = catalog.FindMutable(table_name);
      ColumnDef& col = table->columns[c];
      result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                      "drop cascades to default value for column " + col.name +
                                          " of table " + QualifiedName(table_name)));
      col.default_sql.clear();
      col.default_expr.reset();
      col.has_default = false;
      col.default_value = Datum{};
      SQLRITE_TRY(catalog.Save(*table));
    }
    SQLRITE_TRY(DropSequenceObject(ctx.db, key));
  }
  return result;
}

}  // namespace

Status SetOwner(Database& db, const ast::SequenceOptions& options, SequenceDef& q) {
  if (options.owned_by_none) {
    q.owned_by_table.clear();
    q.owned_by_column.clear();
    return Ok();
  }
  if (options.owned_by_table.empty()) return Ok();
  const TableDef* table = db.catalog().Find(options.owned_by_table);
  if (table == nullptr) {
    return Fail(sqlstate::kUndefinedTable,
                "relation \"" + options.owned_by_table + "\" does not exist");
  }
  if (table->is_sequence() || table->is_view()) {
    return Fail(Error(sqlstate::kWrongObjectType,
                      "sequence cannot be owned by relation \"" + table->name + "\"")
                    .WithDetail(table->is_view()
                                    ? "This operation is not supported for views."
                                    : "This operation is not supported for sequences."));
  }
  if (table->FindColumn(options.owned_by_column) < 0) {
    return Fail(sqlstate::kUndefinedColumn, "column \"" + options.owned_by_column +
                                                "\" of relation \"" + table->name +
                                                "\" does not exist");
  }
  q.owned_by_table = RelationKey(*table);
  q.owned_by_column = options.owned_by_column;
  return Ok();
}

Status CreateSequenceObject(Database& db, const std::string& key, SequenceDef q) {
  TableDef def;
  const auto [schema, name] = SplitRelationKey(key);
  def.schema = schema;
  def.name = name;
  def.kind = RelKind::kSequence;
  for (auto [column, type] :
       {std::pair{"last_value", TypeId::kInt8}, std::pair{"log_cnt", TypeId::kInt8},
        std::pair{"is_called", TypeId::kBool}}) {
    ColumnDef col;
    col.name = column;
    col.type.id = type;
    col.not_null = true;
    def.columns.push_back(std::move(col));
  }
  def.next_rowid = 2;
  const int64_t start = q.start;
  def.sequence = std::move(q);
  SQLRITE_ASSIGN_OR_RETURN(def.root, storage::BTree::Create(db.pager()));
  SQLRITE_TRY(db.catalog().Create(std::move(def)));
  const TableDef* created = db.catalog().Find(key);
  SQLRITE_ASSERT(created != nullptr);
  // A state kept under this oid belongs to a sequence whose creation was rolled back.
  db.sequences().Forget(created->oid);
  return db.sequences().Put(db, *created, InitialSequenceState(start));
}

Status DropSequenceObject(Database& db, const std::string& key) {
  const TableDef* def = db.catalog().Find(key);
  SQLRITE_ASSERT(def != nullptr && def->is_sequence());
  SQLRITE_TRY(storage::BTree(db.pager(), def->root).Drop());
  return db.catalog().Drop(key);
}

std::string ChooseSequenceName(const Catalog& catalog, std::string_view schema,
                               const std::string& table, const std::string& column) {
  // PostgreSQL's ChooseRelationName: table_column_seq, then a number appended until it is free
  // (names past 63 bytes are not truncated here).
  const std::string base = table + "_" + column + "_seq";
  std::string name = base;
  for (int n = 1; catalog.Find(RelationKey(schema, name)) != nullptr; ++n) {
    name = base + std::to_string(n);
  }
  return name;
}

Result<QueryResult> ExecuteCreateSequence(ExecContext& ctx, const ast::CreateSequence& stmt) {
  return GuardStatement([&] { return CreateSequenceUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteAlterSequence(ExecContext& ctx, const ast::AlterSequence& stmt) {
  return GuardStatement([&] { return AlterSequenceUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteDropSequence(ExecContext& ctx, const ast::DropSequence& stmt) {
  return GuardStatement([&] { return DropSequenceUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
