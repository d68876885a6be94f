// CREATE TABLE ... AS and SELECT ... INTO (engine/create_table_as.h): the query runs as a SELECT
// does (ExecuteSelect), and its result's columns become the new table's. See docs/decisions.md
// "CREATE TABLE AS: the query's result, then the table".

#include <optional>
#include <string>
#include <utility>

#include "common/assert.h"
#include "engine/create_table_as.h"
#include "engine/params.h"
#include "engine/session.h"
#include "engine/table_access.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

// Whether a table column may have type t here (as CREATE TABLE's type names allow).
bool StorableColumnType(const SqlType& t) {
  if (t.id == TypeId::kEnum || IsStoredScalarType(t.id)) return true;
  if (t.id == TypeId::kArray) return t.elem == TypeId::kEnum || IsStoredScalarType(t.elem);
  return false;
}

Result<TableDef> TableFromResult(const ast::CreateTable& stmt, const std::string& table_key,
                                 const std::vector<ColumnInfo>& columns) {
  const ast::CreateTableAs& as = *stmt.as;
  if (as.columns.size() > columns.size()) {
    return Fail(sqlstate::kSyntaxError, "too many column names were specified");
  }
  TableDef def;
  def.name = stmt.table.name;
  def.schema = SplitRelationKey(table_key).first;
  for (size_t i = 0; i < columns.size(); ++i) {
    ColumnDef col;
    col.name = i < as.columns.size() ? as.columns[i] : columns[i].name;
    col.type = columns[i].sql_type();
    // An untyped literal's column ('abc', NULL) is text, as PostgreSQL 10 and later make it.
    if (col.type.id == TypeId::kUnknown) col.type = SqlType{TypeId::kText};
    if (def.FindColumn(col.name) >= 0) {
      return Fail(sqlstate::kDuplicateColumn,
                  "column \"" + col.name + "\" specified more than once");
    }
    if (col.type.id == TypeId::kRecord) {
      return Fail(sqlstate::kInvalidTableDefinition,
                  "column \"" + col.name + "\" has pseudo-type record");
    }
    if (!StorableColumnType(col.type)) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "type " + SqlTypeName(col.type) + " as a column's type is not supported yet");
    }
    def.columns.push_back(std::move(col));
  }
  return def;
}

Result<QueryResult> ExecuteCreateTableAsUnguarded(ExecContext& ctx, const ast::CreateTable& stmt) {
  SQLRITE_ASSERT(stmt.as != nullptr);
  const ast::CreateTableAs& as = *stmt.as;
  QueryResult result;
  result.command_tag = "CREATE TABLE AS";
  SQLRITE_ASSIGN_OR_RETURN(const std::string table_key, CreationKey(ctx, stmt.table));
  if (RelationNameTaken(ctx.db.catalog(), table_key)) {
    const std::string message = "relation \"" + stmt.table.name + "\" already exists";
    if (stmt.if_not_exists) {
      result.notices.push_back(
          Error(sqlstate::kDuplicateTable, message + ", skipping").WithSeverity(Severity::kNotice));
      return result;
    }
    return Fail(sqlstate::kDuplicateTable, message);
  }
  // The query runs first: its rows are read before the table exists, so it cannot read the
  // table it fills (PostgreSQL's would not find it either: the name is not yet taken when the
  // query is analyzed).
  // WITH NO DATA only describes the query, as PostgreSQL plans it without running it (`CREATE
  // TABLE x AS SELECT * FROM big WITH NO DATA` copies a shape, and must not read big).
  Result<QueryResult> ran = [&] {
    if (as.with_data || ctx.describe_only) return ExecuteSelect(ctx, *as.query);
    ctx.describe_only = true;
    // Binding as a Parse describes a statement: a constant whose folding fails (1/0) stays
    // unfolded instead of failing, since nothing is evaluated.
    ParamContext describing;
    std::optional<ParamScope> describe_scope;
    if (CurrentParams() == nullptr) describe_scope.emplace(&describing);
    Result<QueryResult> described = ExecuteSelect(ctx, *as.query);
    ctx.describe_only = false;
    return described;
  }();
  if (!ran) return Fail(std::move(ran.error()));
  QueryResult source = std::move(*ran);
  SQLRITE_ASSIGN_OR_RETURN(TableDef def, TableFromResult(stmt, table_key, source.columns));
  if (ctx.describe_only) return result;
  SQLRITE_ASSIGN_OR_RETURN(def.root, storage::BTree::Create(ctx.db.pager()));
  SQLRITE_TRY(ctx.db.catalog().Create(std::move(def)));
  if (!as.with_data) return result;
  TableDef* table = ctx.db.catalog().FindMutable(table_key);
  SQLRITE_ASSERT(table != nullptr);
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  for (const Row& row : source.rows) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    SQLRITE_TRY(InsertRow(ctx.db, *table, row));
  }
  if (!source.rows.empty() && !ctx.trial) SQLRITE_TRY(ctx.db.catalog().Save(*table));
  result.command_tag = "SELECT " + std::to_string(source.rows.size());
  return result;
}

}  // namespace

Result<QueryResult> ExecuteCreateTableAs(ExecContext& ctx, const ast::CreateTable& stmt) {
  return GuardStatement([&] { return ExecuteCreateTableAsUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
