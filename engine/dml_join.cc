#include "engine/dml_join.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/analyze/bind_select.h"
#include "engine/analyze/bind_subquery.h"
#include "engine/assignment.h"
#include "engine/column_defaults.h"
#include "engine/error_position.h"
#include "engine/exec/operator_rows.h"
#include "engine/executor.h"
#include "engine/foreign_keys.h"
#include "engine/generated_columns.h"
#include "engine/key_codec.h"
#include "engine/on_conflict.h"
#include "engine/plan/instantiate.h"
#include "engine/plan/planner.h"
#include "engine/returning.h"
#include "engine/row_codec.h"
#include "engine/session.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

// The target rows that join, each with its first joined row (target columns first).
struct JoinedRows {
  Scope scope;  // the target's columns, then the other items' (their tables' columns)
  size_t target_columns = 0;
  std::vector<std::string> keys;  // rowid keys, in the order first met
  std::vector<Row> rows;          // per key: the joined row
};

// Binds and runs query (target first in its FROM), keeping per target row its first joined row.
// describe_only: binds only (rows stay empty).
Result<JoinedRows> Join(ExecContext& ctx, const TableDef& def, const ast::Select& query) {
  // The target (the query's first FROM item) is the table the statement resolved, whatever a
  // WITH query or a system relation of its name would hide it behind.
  SQLRITE_ASSERT(!query.from.empty());
  PinnedTarget pin(ctx, query.from[0], def);
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect bound, BindSelect(ctx, query));
  JoinedRows joined;
  joined.target_columns = def.columns.size();
  // Rows carry the tables' columns only; a USING/NATURAL merged column is not named here.
  joined.scope.assign(bound.scope.begin(),
                      bound.scope.begin() + static_cast<std::ptrdiff_t>(bound.table_columns));
  if (ctx.describe_only) return joined;
  // Project every table column, in scope order, whatever * expanded to.
  BoundItems items;
  for (size_t i = 0; i < bound.table_columns; ++i) {
    BoundExpr ref;
    ref.kind = ExprKind::kColumn;
    ref.index = static_cast<int>(i);
    ref.type = joined.scope[i].type;
    items.exprs.push_back(std::move(ref));
    items.columns.push_back(ColumnInfo{joined.scope[i].name, joined.scope[i].type.id,
                                       joined.scope[i].type.typmod, joined.scope[i].type.elem,
                                       joined.scope[i].type.enum_oid});
    items.from_star.push_back(true);
    items.unknown.push_back(false);
  }
  bound.items = std::move(items);
  SQLRITE_ASSIGN_OR_RETURN(plan::Plan plan, plan::PlanSelect(std::move(bound)));
  auto rctx = std::make_unique<exec::ReadContext>(
      exec::ReadContext{ctx.db.pager(), ctx.session.StatementInterruptCheck()});
  exec::OperatorPtr root = plan::InstantiateOnce(std::move(plan), *rctx);
  exec::OperatorRows source(std::move(rctx), std::move(root));
  SQLRITE_ASSIGN_OR_RETURN(std::vector<Row> all, DrainWithinStatement(source));

  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  RowLocator locator(ctx.db, def, interrupts);
  std::map<std::string, size_t, std::less<>> seen;
  Row target;
  for (Row& r : all) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    target.assign(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(joined.target_columns));
    SQLRITE_ASSIGN_OR_RETURN(std::span<const std::string> keys, locator.Locate(target));
    // Rows of equal contents share their keys: once the first is seen, all of them are.
    if (keys.empty() || seen.count(keys.front()) != 0) continue;
    for (const std::string& key : keys) {
      if (!seen.emplace(key, joined.keys.size()).second) continue;
      joined.keys.push_back(key);
      joined.rows.push_back(r);
    }
  }
  return joined;
}

// RETURNING over the joined row.

}  // namespace

Result<std::span<const std::string>> RowLocator::Locate(const Row& row) {
  if (def_.rowid_column >= 0) {
    single_ = RowidKey(DatumAs<int64_t>(row[static_cast<size_t>(def_.rowid_column)]));
    return std::span<const std::string>(&single_, 1);
  }
  for (const IndexDef& ix : def_.indexes) {
    if (!ix.unique || ix.deferrable || ix.root == storage::kInvalidPage) continue;
    SQLRITE_ASSIGN_OR_RETURN(auto key, FindConflict(db_.pager(), def_, ix, row));
    if (key) {
      single_ = std::move(*key);
      return std::span<const std::string>(&single_, 1);
    }
  }
  if (!by_contents_) {
    by_contents_.emplace();
    std::string record;
    SQLRITE_TRY(ScanTable(
        db_, def_, nullptr,
        [&](std::string_view key, Row& r) -> Result<bool> {
          record.clear();
          EncodeRow(r, record);
          (*by_contents_)[record].emplace_back(key);
          return true;
        },
        &interrupts_));
  }
  std::string record;
  EncodeRow(row, record);
  auto it = by_contents_->find(record);
  if (it == by_contents_->end()) return std::span<const std::string>();
  return std::span<const std::string>(it->second);
}

Result<QueryResult> ExecuteUpdateFrom(ExecContext& ctx, const ast::Update& stmt, TableDef& def) {
  SQLRITE_ASSERT(stmt.from_query != nullptr);
  SQLRITE_ASSIGN_OR_RETURN(JoinedRows joined, Join(ctx, def, *stmt.from_query));
  const Scope& scope = joined.scope;
  struct Set {
    size_t column;
    BoundExpr value;
  };
  std::vector<Set> sets;
  exec::ReadContext rctx{ctx.db.pager(), ctx.session.StatementInterruptCheck()};
  QuerySubqueries subqueries(ctx, ctx.ctes);
  Binder binder(scope);
  binder.SetSubqueries(&subqueries);
  binder.SetClause("UPDATE");
  std::optional<ColumnDefaults> defaults;
  for (const ast::Assignment& a : stmt.assignments) {
    const int c = def.FindColumn(a.column);
    if (c < 0) {
      return Fail(Error(sqlstate::kUndefinedColumn, "column \"" + a.column + "\" of relation \"" +
                                                        def.name + "\" does not exist")
                      .WithPosition(ErrorPosition(a.location)));
    }
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, BindAssignmentValue(def, static_cast<size_t>(c), *a.value,
                                                              binder, defaults, rctx));
    sets.push_back({static_cast<size_t>(c), std::move(e)});
  }
  std::vector<size_t> columns;
  columns.reserve(sets.size());
  for (const Set& set : sets) columns.push_back(set.column);
  SQLRITE_TRY(CheckDistinctAssignments(def, columns));
  Returning returning;
  SQLRITE_TRY(returning.Bind(ctx, scope, stmt.returning));
  QueryResult result;
  if (ctx.describe_only) {
    returning.Finish(result);
    return result;
  }
  // Every new row before the first change: SET's subqueries read the table as it was.
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  const auto width = static_cast<std::ptrdiff_t>(joined.target_columns);
  std::vector<Row> updated(joined.rows.size());
  for (size_t i = 0; i < joined.rows.size(); ++i) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    const Row& r = joined.rows[i];
    updated[i].assign(r.begin(), r.begin() + width);
    for (const Set& s : sets) {
      SQLRITE_ASSIGN_OR_RETURN(updated[i][s.column], Eval(s.value, EvalContext{r.data(), nullptr}));
    }
    SQLRITE_TRY(ComputeGeneratedColumns(def, updated[i]));
  }
  Row old_row;
  ForeignKeyChecks foreign_keys(ctx.db, interrupts, BlockDeferred(ctx.session));
  for (size_t i = 0; i < joined.rows.size(); ++i) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    Row& r = joined.rows[i];
    old_row.assign(r.begin(), r.begin() + width);
    SQLRITE_TRY(UpdateRow(ctx.db, def, joined.keys[i], old_row, updated[i]));
    foreign_keys.RowUpdated(def, old_row, updated[i]);
    if (returning.active) {
      std::move(updated[i].begin(), updated[i].end(), r.begin());
      SQLRITE_TRY(returning.Emit(r, result));
    }
  }
  SQLRITE_TRY(foreign_keys.Finish());
  returning.Finish(result);
  result.command_tag = "UPDATE " + std::to_string(joined.rows.size());
  return result;
}

Result<QueryResult> ExecuteDeleteUsing(ExecContext& ctx, const ast::Delete& stmt, TableDef& def) {
  SQLRITE_ASSERT(stmt.using_query != nullptr);
  SQLRITE_ASSIGN_OR_RETURN(JoinedRows joined, Join(ctx, def, *stmt.using_query));
  Returning returning;
  SQLRITE_TRY(returning.Bind(ctx, joined.scope, stmt.returning));
  QueryResult result;
  if (ctx.describe_only) {
    returning.Finish(result);
    return result;
  }
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  const auto width = static_cast<std::ptrdiff_t>(joined.target_columns);
  Row target;
  ForeignKeyChecks foreign_keys(ctx.db, interrupts, BlockDeferred(ctx.session));
  for (size_t i = 0; i < joined.rows.size(); ++i) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    const Row& r = joined.rows[i];
    target.assign(r.begin(), r.begin() + width);
    SQLRITE_TRY(DeleteRow(ctx.db, def, joined.keys[i], target));
    foreign_keys.RowDeleted(def, target);
    SQLRITE_TRY(returning.Emit(r, result));
  }
  SQLRITE_TRY(foreign_keys.Finish());
  returning.Finish(result);
  result.command_tag = "DELETE " + std::to_string(joined.rows.size());
  return result;
}

}  // namespace sqlrite::engine
