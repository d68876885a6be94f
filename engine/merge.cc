#include "engine/merge.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/analyze/bind_cte.h"
#include "engine/analyze/bind_select.h"
#include "engine/analyze/bind_subquery.h"
#include "engine/assignment.h"
#include "engine/catalog/system_source.h"
#include "engine/column_defaults.h"
#include "engine/dml_join.h"
#include "engine/error_position.h"
#include "engine/exec/operator_rows.h"
#include "engine/executor.h"
#include "engine/foreign_keys.h"
#include "engine/generated_columns.h"
#include "engine/plan/instantiate.h"
#include "engine/plan/planner.h"
#include "engine/session.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

using Kind = ast::MergeWhen::Kind;

// One WHEN clause, bound over the joined row (the target's columns, then the source's).
struct BoundWhen {
  bool matched = true;
  Kind kind = Kind::kNothing;
  std::optional<BoundExpr> condition;
  std::vector<std::pair<size_t, BoundExpr>> sets;  // UPDATE: (column, value)
  // INSERT: per target column its value; null: the column's default.
  std::vector<std::optional<BoundExpr>> inserted;
};

// One change, computed before the first is made.
struct Action {
  Kind kind = Kind::kNothing;
  std::string key;  // UPDATE, DELETE: the target row's rowid key
  Row old_row;      // UPDATE, DELETE: the target row
  Row new_row;      // UPDATE, INSERT
};

// PostgreSQL 15's transformMergeStmt: after a WHEN clause without AND of one kind, a later one of
// that kind can never run.
Status RefuseUnreachable(const ast::Merge& stmt) {
  bool terminal[2] = {false, false};
  for (const ast::MergeWhen& w : stmt.whens) {
    if (terminal[w.matched ? 0 : 1]) {
      return Fail(sqlstate::kSyntaxError,
                  "unreachable WHEN clause specified after unconditional WHEN clause");
    }
    if (!w.condition) terminal[w.matched ? 0 : 1] = true;
  }
  return Ok();
}

// The target: a stored table (42P01 otherwise, 0A000 for a view or a sequence).
Result<TableDef*> MergeTarget(ExecContext& ctx, const ast::TableName& name) {
  const TableDef* found = LookupTable(ctx, name);
  if (found == nullptr) return UndefinedTable(ctx, name);
  if (found->is_view() || found->is_sequence()) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "cannot execute MERGE on relation \"" + found->name + "\"")
                    .WithDetail(std::string("This operation is not supported for ") +
                                (found->is_view() ? "views." : "sequences.")));
  }
  return ctx.db.catalog().FindMutable(RelationKey(*found));
}

// 42712 when the source is named as the target (PostgreSQL's refname check).
Status RefuseSameName(const ast::Merge& stmt) {
  const ast::TableRef& from = stmt.join_query->from[0];
  SQLRITE_ASSERT(from.join != nullptr);
  const ast::TableRef& source = from.join->right;
  std::string name = source.alias;
  if (name.empty() && !source.join && !source.subquery && !source.function) {
    name = source.table.name;
  }
  const std::string& target = stmt.table.alias.empty() ? stmt.table.table.name : stmt.table.alias;
  if (name != target) return Ok();
  return Fail(Error(sqlstate::kDuplicateAlias, "name \"" + name + "\" specified more than once")
                  .WithDetail("The name is used both as MERGE target table and data source."));
}

// 428C9 for a value given to a GENERATED ALWAYS identity column, as PostgreSQL's rewriter.
tl::unexpected<Error> GeneratedAlwaysInsert(const ColumnDef& col) {
  return Fail(Error(sqlstate::kGeneratedAlways,
                    "cannot insert a non-DEFAULT value into column \"" + col.name + "\"")
                  .WithDetail("Column \"" + col.name +
                              "\" is an identity column defined as GENERATED ALWAYS.")
                  .WithHint("Use OVERRIDING SYSTEM VALUE to override."));
}

Status BindInsert(const TableDef& def, const ast::MergeWhen& w, Binder& binder, BoundWhen& out,
                  exec::ReadContext& rctx) {
  std::vector<size_t> targets;
  if (w.columns.empty()) {
    for (size_t c = 0; c < def.columns.size(); ++c) targets.push_back(c);
  } else {
    for (size_t k = 0; k < w.columns.size(); ++k) {
      const int location = k < w.column_locations.size() ? w.column_locations[k] : -1;
      const int c = def.FindColumn(w.columns[k]);
      if (c < 0) {
        return Fail(
            Error(sqlstate::kUndefinedColumn,
                  "column \"" + w.columns[k] + "\" of relation \"" + def.name + "\" does not exist")
                .WithPosition(ErrorPosition(location)));
      }
      for (size_t t : targets) {
        if (t == static_cast<size_t>(c)) {
          return Fail(Error(sqlstate::kDuplicateColumn,
                            "column \"" + w.columns[k] + "\" specified more than once")
                          .WithPosition(ErrorPosition(location)));
        }
      }
      targets.push_back(static_cast<size_t>(c));
    }
  }
  if (w.values.size() > targets.size()) {
    return Fail(Error(sqlstate::kSyntaxError, "INSERT has more expressions than target columns")
                    .WithPosition(ErrorPosition(ExprLocation(*w.values[targets.size()]))));
  }
  if (!w.default_values && w.values.size() < targets.size() && !w.columns.empty()) {
    const int location =
        w.values.size() < w.column_locations.size() ? w.column_locations[w.values.size()] : -1;
    return Fail(Error(sqlstate::kSyntaxError, "INSERT has more target columns than expressions")
                    .WithPosition(ErrorPosition(location)));
  }
  out.inserted.resize(def.columns.size());
  for (size_t i = 0; i < w.values.size(); ++i) {
    const ast::Expr& expr = *w.values[i];
    if (std::holds_alternative<ast::DefaultMarker>(expr.node)) continue;
    const ColumnDef& col = def.columns[targets[i]];
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(expr));
    SQLRITE_ASSIGN_OR_RETURN(
        e, CoerceForAssignment(std::move(e), col.type, col.name, ExprLocation(expr)));
    // A generated column takes only DEFAULT (428C9, as INSERT's).
    if (col.generated != 0) return GeneratedColumnInsert(col);
    // OVERRIDING USER VALUE ignores what identity columns are given; a GENERATED ALWAYS one takes
    // nothing without OVERRIDING SYSTEM VALUE.
    if (col.identity != 0) {
      if (w.overriding == ast::Overriding::kUserValue) continue;
      if (col.identity == 'a' && w.overriding != ast::Overriding::kSystemValue) {
        return GeneratedAlwaysInsert(col);
      }
    }
    if (plan::HasSubquery(e)) plan::InstantiateSubqueries(e, rctx);
    out.inserted[targets[i]] = std::move(e);
  }
  return Ok();
}

}  // namespace

static Result<QueryResult> ExecuteMergeUnguarded(ExecContext& ctx, const ast::Merge& stmt) {
  SQLRITE_ASSERT(stmt.join_query != nullptr && stmt.join_query->from.size() == 1);
  // The source and the WHEN clauses' subqueries may read the catalogs, as a SELECT's.
  catalog::SystemScope system_scope(ctx);
  SQLRITE_TRY(RefuseUnreachable(stmt));
  SQLRITE_ASSIGN_OR_RETURN(TableDef * def, MergeTarget(ctx, stmt.table.table));
  SQLRITE_TRY(RefuseSameName(stmt));
  const size_t width = def->columns.size();

  // The join: the target's columns, its marker (true on a matched row, NULL on a source row
  // that matched nothing), then the source's.
  // The target inside the join's derived table is the table resolved above, never a WITH query
  // or a system relation of its name (transform_merge.cc: FROM (SELECT *, marker FROM target)).
  const ast::TableRef& target_side = stmt.join_query->from[0].join->left;
  SQLRITE_ASSERT(target_side.subquery != nullptr && !target_side.subquery->from.empty());
  PinnedTarget pin(ctx, target_side.subquery->from[0], *def);
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect bound, BindSelect(ctx, *stmt.join_query));
  if (bound.table_columns <= width || bound.scope[width].type.id != TypeId::kBool) {
    return Fail(sqlstate::kInternalError, "internal error: MERGE's join lost its target's shape");
  }
  const size_t joined_columns = bound.table_columns;
  Scope scope;  // the joined row's columns but the marker
  for (size_t i = 0; i < joined_columns; ++i) {
    if (i != width) scope.push_back(bound.scope[i]);
  }
  Scope not_matched_scope = scope;
  for (size_t i = 0; i < width; ++i) not_matched_scope[i].hidden = true;
  // The target's columns are a derived table's in the join; its WHEN clauses read tableoid.
  for (size_t i = 0; i < width; ++i) scope[i].table_oid = def->oid;

  exec::ReadContext rctx{ctx.db.pager(), ctx.session.StatementInterruptCheck()};
  // The statement's WITH queries are the join's; the WHEN clauses' subqueries see them too, bound
  // again for them (a query both name runs once for each).
  CteScope when_ctes;
  if (!stmt.join_query->with.empty()) {
    SQLRITE_TRY(BindWith(ctx, *stmt.join_query, nullptr, when_ctes));
  }
  QuerySubqueries subqueries(ctx, stmt.join_query->with.empty() ? nullptr : &when_ctes);
  Binder matched_binder(scope);
  Binder not_matched_binder(not_matched_scope);
  std::optional<ColumnDefaults> defaults;
  std::vector<BoundWhen> whens;
  for (const ast::MergeWhen& w : stmt.whens) {
    Binder& binder = w.matched ? matched_binder : not_matched_binder;
    binder.SetSubqueries(&subqueries);
    BoundWhen b;
    b.matched = w.matched;
    b.kind = w.kind;
    if (w.condition) {
      binder.SetClause("MERGE WHEN conditions");
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.BindCondition(*w.condition, "WHEN"));
      if (plan::HasSubquery(e)) plan::InstantiateSubqueries(e, rctx);
      b.condition = std::move(e);
    }
    if (w.kind == Kind::kUpdate) {
      binder.SetClause("UPDATE");
      for (const ast::Assignment& a : w.assignments) {
        const int c = def->FindColumn(a.column);
        if (c < 0) {
          return Fail(
              Error(sqlstate::kUndefinedColumn,
                    "column \"" + a.column + "\" of relation \"" + def->name + "\" does not exist")
                  .WithPosition(ErrorPosition(a.location)));
        }
        SQLRITE_ASSIGN_OR_RETURN(
            BoundExpr e,
            BindAssignmentValue(*def, static_cast<size_t>(c), *a.value, binder, defaults, rctx));
        b.sets.emplace_back(static_cast<size_t>(c), std::move(e));
      }
    } else if (w.kind == Kind::kInsert) {
      binder.SetClause("VALUES");
      SQLRITE_TRY(BindInsert(*def, w, binder, b, rctx));
    }
    whens.push_back(std::move(b));
  }
  // As PostgreSQL's rewriter, after every clause is analysed.
  for (const BoundWhen& b : whens) {
    std::vector<size_t> columns;
    columns.reserve(b.sets.size());
    for (const auto& set : b.sets) columns.push_back(set.first);
    SQLRITE_TRY(CheckDistinctAssignments(*def, columns));
  }
  QueryResult result;
  if (ctx.describe_only) return result;

  // Every joined row, the target's columns and the source's.
  BoundItems items;
  for (size_t i = 0; i < joined_columns; ++i) {
    BoundExpr ref;
    ref.kind = ExprKind::kColumn;
    ref.index = static_cast<int>(i);
    ref.type = bound.scope[i].type;
    items.exprs.push_back(std::move(ref));
    items.columns.push_back(ColumnInfo{bound.scope[i].name, bound.scope[i].type.id,
                                       bound.scope[i].type.typmod, bound.scope[i].type.elem,
                                       bound.scope[i].type.enum_oid});
    items.from_star.push_back(true);
    items.unknown.push_back(false);
  }
  bound.items = std::move(items);
  SQLRITE_ASSIGN_OR_RETURN(plan::Plan plan, plan::PlanSelect(std::move(bound)));
  auto join_rctx = std::make_unique<exec::ReadContext>(
      exec::ReadContext{ctx.db.pager(), ctx.session.StatementInterruptCheck()});
  exec::OperatorPtr root = plan::InstantiateOnce(std::move(plan), *join_rctx);
  exec::OperatorRows source(std::move(join_rctx), std::move(root));
  SQLRITE_ASSIGN_OR_RETURN(std::vector<Row> joined, DrainWithinStatement(source));

  // Each joined row's action, computed before any change (the conditions, SET values and their
  // subqueries see the target as the statement found it).
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  RowLocator locator(ctx.db, *def, interrupts);
  // A table without a key: identical target rows are told apart by handing their keys out in
  // turn, one per joined row that shows those contents.
  std::unordered_map<std::string, size_t> next_of_same;
  std::set<std::string, std::less<>> changed;  // rowid keys an UPDATE or DELETE took
  std::vector<Action> actions;
  const bool generated = HasGeneratedColumns(*def);
  bool changed_twice = false;  // the row after the last of actions changes a row a second time
  Row row;
  for (Row& r : joined) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    const bool matched = !IsNull(r[width]);
    row.clear();
    for (size_t i = 0; i < r.size(); ++i) {
      if (i != width) row.push_back(std::move(r[i]));
    }
    const BoundWhen* chosen = nullptr;
    for (const BoundWhen& b : whens) {
      if (b.matched != matched) continue;
      if (b.condition) {
        SQLRITE_ASSIGN_OR_RETURN(bool holds,
                                 EvalCondition(*b.condition, EvalContext{row.data(), nullptr}));
        if (!holds) continue;
      }
      chosen = &b;
      break;
    }
    if (chosen == nullptr || chosen->kind == Kind::kNothing) continue;
    Action action;
    action.kind = chosen->kind;
    if (chosen->kind == Kind::kInsert) {
      action.new_row.resize(width);
      for (size_t c = 0; c < width; ++c) {
        if (chosen->inserted[c]) {
          SQLRITE_ASSIGN_OR_RETURN(action.new_row[c],
                                   Eval(*chosen->inserted[c], EvalContext{row.data(), nullptr}));
        } else {
          if (!defaults) {
            SQLRITE_ASSIGN_OR_RETURN(defaults, ColumnDefaults::Bind(*def));
          }
          SQLRITE_ASSIGN_OR_RETURN(action.new_row[c], defaults->Value(c));
        }
      }
      // After the defaults and the given values, before any constraint sees the row.
      if (generated) SQLRITE_TRY(ComputeGeneratedColumns(*def, action.new_row));
      actions.push_back(std::move(action));
      continue;
    }
    action.old_row.assign(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(width));
    SQLRITE_ASSIGN_OR_RETURN(std::span<const std::string> keys, locator.Locate(action.old_row));
    if (keys.empty()) continue;  // SQLRITE_ASSERT-worthy, but never a crash on a stale read
    if (keys.size() == 1) {
      action.key = keys[0];
    } else {
      // Rows of equal contents share one list of keys; its first names the group.
      size_t& next = next_of_same[keys.front()];
      action.key = keys[next % keys.size()];
      ++next;
    }
    if (!changed.insert(action.key).second) {
      // PostgreSQL raises it when it reaches this row: the changes before it are made first,
      // so their own errors come first.
      changed_twice = true;
      break;
    }
    if (chosen->kind == Kind::kUpdate) {
      action.new_row = action.old_row;
      for (const auto& [column, value] : chosen->sets) {
        SQLRITE_ASSIGN_OR_RETURN(action.new_row[column],
                                 Eval(value, EvalContext{row.data(), nullptr}));
      }
      if (generated) SQLRITE_TRY(ComputeGeneratedColumns(*def, action.new_row));
    }
    actions.push_back(std::move(action));
  }

  const int64_t reserved_before = def->rowid_reserved;
  ForeignKeyChecks foreign_keys(ctx.db, interrupts, BlockDeferred(ctx.session));
  for (Action& a : actions) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    switch (a.kind) {
      case Kind::kInsert:
        SQLRITE_TRY(InsertRow(ctx.db, *def, a.new_row));
        foreign_keys.RowInserted(*def, a.new_row);
        break;
      case Kind::kUpdate:
        SQLRITE_TRY(UpdateRow(ctx.db, *def, a.key, a.old_row, a.new_row));
        foreign_keys.RowUpdated(*def, a.old_row, a.new_row);
        break;
      case Kind::kDelete:
        SQLRITE_TRY(DeleteRow(ctx.db, *def, a.key, a.old_row));
        foreign_keys.RowDeleted(*def, a.old_row);
        break;
      case Kind::kNothing:
        break;
    }
  }
  if (changed_twice) {
    return Fail(
        Error(sqlstate::kCardinalityViolation, "MERGE command cannot affect row a second time")
            .WithHint("Ensure that not more than one source row matches any one target row."));
  }
  SQLRITE_TRY(foreign_keys.Finish());
  if (def->rowid_reserved != reserved_before && !ctx.trial) {
    SQLRITE_TRY(ctx.db.catalog().Save(*def));
  }
  result.command_tag = "MERGE " + std::to_string(actions.size());
  return result;
}

bool MergeWritesNothing(const ast::Merge& stmt) {
  for (const ast::MergeWhen& w : stmt.whens) {
    if (w.kind != Kind::kNothing) return false;
  }
  return true;
}

Result<QueryResult> ExecuteMerge(ExecContext& ctx, const ast::Merge& stmt) {
  return GuardStatement([&] { return ExecuteMergeUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
