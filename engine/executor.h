#pragma once
// Executors: one function per statement kind, run on the engine thread inside one statement
// (the caller commits on success and rolls back on error, so an executor may fail half-way).

#include <exception>
#include <functional>
#include <new>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/analyze/bind_select.h"
#include "engine/cursor.h"
#include "engine/database.h"
#include "engine/engine.h"
#include "engine/expression.h"
#include "engine/search_path.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

class Session;
class PreparedPlan;
struct CteScope;
struct ParamContext;

// Told of each row an INSERT or UPDATE executor has written, after it was written: a point
// writer's trial captures its changes this way (engine/point_writer.h).
class DmlObserver {
 public:
  virtual ~DmlObserver() = default;
  virtual void Inserted(const TableDef& table, const Row& row) = 0;
  virtual void Updated(const TableDef& table, std::string_view rowid_key, const Row& row) = 0;
};

struct ExecContext {
  Database& db;
  Session& session;
  // Cluster::Describe: bind everything (so parameter types are settled and errors found) and
  // return the result's columns without reading or writing a row.
  bool describe_only = false;
  // A read on a snapshot (Cluster::ReadOnSnapshot, any thread): the catalog and pages the
  // snapshot shows stand in for db's (the writer's), which such a read must never touch. Null:
  // the engine thread's view of db.
  const Catalog* catalog = nullptr;
  storage::PageSource* pages = nullptr;
  // What catalog and pages point into, kept alive by whoever keeps the context (a COPY TO that
  // reads a snapshot across engine tasks).
  std::shared_ptr<Database::ReadView> view;
  // CREATE VIEW: every relation binding looks up is appended here (the view's dependencies).
  std::vector<uint32_t>* referenced_relations = nullptr;
  // The views being expanded by binding, innermost last (a view reached again is 42P17).
  std::vector<uint32_t> expanding_views;
  // Null: nobody listens.
  DmlObserver* observer = nullptr;
  // The target of an UPDATE ... FROM, DELETE ... USING or MERGE where the query that joins it
  // names it (engine/dml_join.cc, engine/merge.cc): binding that very TableRef takes this
  // definition, the one the statement resolved and changes, never a WITH query or a system
  // relation of the same name (a second lookup by name could find another relation, whose rows
  // would then be taken for the target's).
  const ast::TableRef* pinned_ref = nullptr;
  const TableDef* pinned_def = nullptr;
  // A point writer's trial (engine/point_writer.h): the pager is rolled back right after the
  // statement and the rows it wrote are written again at COMMIT, so what only persists state
  // (a table's next rowid in the catalog) is skipped.
  bool trial = false;
  // The WITH queries of the statement being run, when engine/dml_with.h runs it (an INSERT,
  // UPDATE or DELETE with WITH, or a query whose WITH changes data): what a query bound without
  // an enclosing one (BindSelect with no env) and the subqueries of the DML's own clauses see.
  const CteScope* ctes = nullptr;
  // The query whose own WITH is already in ctes (BindSelect does not bind it again).
  const ast::Select* with_bound = nullptr;
};

// Pins ExecContext::pinned_ref to def while a DML statement binds the query that joins its target
// (restored on leaving: a statement may bind another such query inside, a WITH's).
class PinnedTarget {
 public:
  PinnedTarget(ExecContext& ctx, const ast::TableRef& ref, const TableDef& def)
      : ctx_(ctx), ref_(ctx.pinned_ref), def_(ctx.pinned_def) {
    ctx.pinned_ref = &ref;
    ctx.pinned_def = &def;
  }
  ~PinnedTarget() {
    ctx_.pinned_ref = ref_;
    ctx_.pinned_def = def_;
  }
  PinnedTarget(const PinnedTarget&) = delete;
  PinnedTarget& operator=(const PinnedTarget&) = delete;

 private:
  ExecContext& ctx_;
  const ast::TableRef* ref_;
  const TableDef* def_;
};

// Points ctx at a snapshot: its catalog and pages, kept alive by the context.
inline void ReadFromView(ExecContext& ctx, std::shared_ptr<Database::ReadView> view) {
  ctx.catalog = view->catalog.get();
  ctx.pages = &view->snapshot;
  ctx.view = std::move(view);
}

// The catalog ctx reads: the snapshot's when it has one, else the database's.
inline const Catalog& CatalogOf(ExecContext& ctx) {
  return ctx.catalog != nullptr ? *ctx.catalog : ctx.db.catalog();
}

Result<QueryResult> ExecuteCreateTable(ExecContext& ctx, const ast::CreateTable& stmt);
// ALTER TABLE and the renames of a table, its columns and constraints (executor_alter.cc).
Result<QueryResult> ExecuteAlterTable(ExecContext& ctx, const ast::AlterTable& stmt);
// A column of CREATE TABLE or ALTER TABLE ... ADD COLUMN of table_name: its default bound and
// coerced (a constant kept as a value, anything else as SQL text), the sequence of a SERIAL or
// identity column created. Errors: the default's, 22023 a non-integer identity, 42P07 the
// sequence's name taken.
Result<ColumnDef> MakeColumnDef(ExecContext& ctx, const std::string& table_key,
                                const ast::ColumnDef& c);
// col's DEFAULT set to expr (its SQL text sql), bound and coerced to the column's type: a
// constant kept as a value, anything else as text evaluated per row.
Status SetColumnDefault(ColumnDef& col, const ast::Expr& expr, const std::string& sql);
// The foreign keys of other tables that depend on def's unique index `index` (it is the first
// that matches their referenced columns): 2BP01 naming `object` ("index t_pkey", "constraint
// t_pkey on table t"), or with cascade dropped with PostgreSQL's NOTICE (executor_index.cc).
Status DropForeignKeysOnIndex(ExecContext& ctx, const TableDef& def, size_t index, bool cascade,
                              const std::string& object, QueryResult& result);
Result<QueryResult> ExecuteDropTable(ExecContext& ctx, const ast::DropTable& stmt);
Result<QueryResult> ExecuteTruncate(ExecContext& ctx, const ast::Truncate& stmt);
// CREATE INDEX, DROP INDEX, ALTER INDEX ... RENAME TO (executor_index.cc).
Result<QueryResult> ExecuteCreateIndex(ExecContext& ctx, const ast::CreateIndex& stmt);
Result<QueryResult> ExecuteDropIndex(ExecContext& ctx, const ast::DropIndex& stmt);
Result<QueryResult> ExecuteRenameIndex(ExecContext& ctx, const ast::RenameIndex& stmt);

// CLUSTER [t [USING index]] and REINDEX (executor_maintenance.cc): the names checked as
// PostgreSQL checks them, CLUSTER ... USING's choice kept (pg_index.indisclustered), REINDEX's
// indexes rebuilt. REQUIRES: stmt.command is kCluster or kReindex, and the commands PostgreSQL
// refuses in a block were refused by the caller (RefusedInBlock).
Result<QueryResult> ExecuteMaintenance(ExecContext& ctx, const ast::Vacuum& stmt);
// The command name of a CLUSTER / REINDEX that PostgreSQL refuses inside a transaction block
// (25001: a bare CLUSTER, REINDEX SCHEMA / DATABASE / SYSTEM, REINDEX CONCURRENTLY), or null.
const char* RefusedInBlock(const ast::Vacuum& stmt);

// CREATE [OR REPLACE] VIEW, DROP VIEW (executor_view.cc).
Result<QueryResult> ExecuteCreateView(ExecContext& ctx, const ast::CreateView& stmt);
Result<QueryResult> ExecuteDropView(ExecContext& ctx, const ast::DropView& stmt);

// CREATE SCHEMA, DROP SCHEMA [CASCADE], ALTER SCHEMA ... RENAME TO (executor_schema.cc).
Result<QueryResult> ExecuteCreateSchema(ExecContext& ctx, const ast::CreateSchema& stmt);
Result<QueryResult> ExecuteDropSchema(ExecContext& ctx, const ast::DropSchema& stmt);
Result<QueryResult> ExecuteRenameSchema(ExecContext& ctx, const ast::RenameSchema& stmt);
// COMMENT ON (executor_comment.cc).
Result<QueryResult> ExecuteComment(ExecContext& ctx, const ast::Comment& stmt);
// CREATE TYPE ... AS ENUM, DROP TYPE, ALTER TYPE (executor_type.cc).
Result<QueryResult> ExecuteCreateEnum(ExecContext& ctx, const ast::CreateEnum& stmt);
Result<QueryResult> ExecuteDropType(ExecContext& ctx, const ast::DropType& stmt);
Result<QueryResult> ExecuteAlterEnum(ExecContext& ctx, const ast::AlterEnum& stmt);
// Copies every row of table table_key through transform into fresh trees laid out as next (the
// entry, changed), as ALTER TABLE's rewrites do (executor_alter.cc).
Status RewriteTableValues(ExecContext& ctx, const std::string& table_key, TableDef next,
                          const std::function<Result<bool>(Row&)>& transform);
// Before def is dropped: the views that read it (directly or through views), except those in
// `dropping` (named by the same statement). RESTRICT (!cascade): 2BP01 naming them; CASCADE:
// drops them, adding PostgreSQL's notices.
Status DropDependentViews(ExecContext& ctx, const TableDef& def, bool cascade,
                          const std::set<std::string>& dropping, std::vector<Error>& notices);

Result<QueryResult> ExecuteCreateSequence(ExecContext& ctx, const ast::CreateSequence& stmt);
Result<QueryResult> ExecuteAlterSequence(ExecContext& ctx, const ast::AlterSequence& stmt);
Result<QueryResult> ExecuteDropSequence(ExecContext& ctx, const ast::DropSequence& stmt);

// Sequence objects (executor_sequence.cc), shared with CREATE / DROP TABLE.
// Creates the sequence of RelationKey `key` with options q and its first state. REQUIRES: the
// key is free.
Status CreateSequenceObject(Database& db, const std::string& key, SequenceDef q);
// Drops the sequence of RelationKey `key` and its tree. REQUIRES: it exists and is a sequence.
Status DropSequenceObject(Database& db, const std::string& key);
// OWNED BY table.column / NONE of options applied to q (42P01, 42703 for a bad target).
Status SetOwner(Database& db, const ast::SequenceOptions& options, SequenceDef& q);
// The name PostgreSQL gives a SERIAL or identity column's sequence: table_column_seq[N].
std::string ChooseSequenceName(const Catalog& catalog, std::string_view schema,
                               const std::string& table, const std::string& column);
// A SELECT: binds it and builds its pipeline of operators (engine/exec/), returned unrun as a
// RowSource, with the result's columns. rows is null when ctx.describe_only. The pipeline reads
// the database as it is while rows are pulled: see DrainWithinStatement.
struct SelectPipeline {
  std::vector<ColumnInfo> columns;
  // PostgreSQL's plan for it could run backward (QueryResult::backward_scan).
  bool backward_scan = false;
  // Reads O(log n) pages at most (no table, or one table through a point lookup), so it may run
  // where a long read must not.
  bool bounded = false;
  std::unique_ptr<RowSource> rows;
};
Result<SelectPipeline> BuildSelect(ExecContext& ctx, const ast::Select& stmt);
// BuildSelect for an Execute of a prepared SELECT that keeps its plan (engine/prepared_plan.h):
// binds and plans only when kept has no plan for catalog (ctx's catalog, held by the entry), and
// instantiates it with params' values. REQUIRES: !stmt.explain, !ctx.describe_only, params
// executing and current (ParamScope), ctx.catalog == catalog.get().
Result<SelectPipeline> BuildPreparedSelect(ExecContext& ctx, const ast::Select& stmt,
                                           ParamContext& params, PreparedPlan& kept,
                                           const std::shared_ptr<const Catalog>& catalog);

// Pulls every row of a pipeline, here, inside the statement. A pipeline over the writer's pager
// (one that runs on the engine thread: the writer's own SELECTs, those of a query string of
// several statements, DECLARE CURSOR, COPY (query) TO, INSERT ... SELECT) must end within its
// statement, because another session may commit between two engine tasks. Snapshot reads
// (engine/snapshot_read.h) are not drained: they are pulled as the socket takes their rows.
Result<std::vector<Row>> DrainWithinStatement(RowSource& rows);

// BuildSelect, drained (DrainWithinStatement) into a QueryResult tagged "SELECT n".
Result<QueryResult> ExecuteSelect(ExecContext& ctx, const ast::Select& stmt);
Result<QueryResult> ExecuteInsert(ExecContext& ctx, const ast::Insert& stmt);
Result<QueryResult> ExecuteUpdate(ExecContext& ctx, const ast::Update& stmt);
Result<QueryResult> ExecuteDelete(ExecContext& ctx, const ast::Delete& stmt);

// Runs an executor's body, turning an exception that escapes it (std::bad_alloc: 53200 "out of
// memory"; anything else: XX000) into an error, so the caller rolls the statement back as for
// any error instead of the exception leaving it half-done on the engine thread.
template <typename Fn>
Result<QueryResult> GuardStatement(Fn&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return Fail(sqlstate::kOutOfMemory, "out of memory");
  } catch (const std::exception& e) {
    return Fail(sqlstate::kInternalError, std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(sqlstate::kInternalError, "internal error: unknown exception");
  }
}

// Shared by the executors.
// PostgreSQL's makeObjectName: name1_name2_label within 63 bytes, the longer of name1 and name2
// shortened first (name2 or label empty: left out).
std::string MakeObjectName(std::string_view name1, std::string_view name2, std::string_view label);
// Whether a table or an index has RelationKey key (they share PostgreSQL's relation namespace
// of their schema).
bool RelationNameTaken(Catalog& catalog, std::string_view key);
// The stored relation name names through the session's search_path (engine/search_path.h), in
// the catalog ctx reads; null: absent.
const TableDef* LookupTable(ExecContext& ctx, const ast::TableName& name);
// The RelationKey of the relation name would name if created now: the schema CreationSchema
// picks. Errors: CreationSchema's.
Result<std::string> CreationKey(ExecContext& ctx, const ast::TableName& name);
// The error of a write or DDL aimed at a system relation (engine/catalog/system_relation.h); verb
// names a DML statement ("insert into", "update", "delete from"), null for DDL. Ok for any other
// name.
Status RefuseSystemRelation(const ast::TableName& name, const char* verb = nullptr);
// 42P01 with position (a name in a schema that does not exist too, as PostgreSQL's parser says);
// for DDL (`ddl`) such a name is 3F000 "schema ... does not exist" instead.
tl::unexpected<Error> UndefinedTable(ExecContext& ctx, const ast::TableName& name,
                                     bool ddl = false);

}  // namespace sqlrite::engine
