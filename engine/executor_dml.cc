// INSERT, UPDATE, DELETE. UPDATE and DELETE collect the matching rows first and modify after
// the scan, because a B+tree cursor does not survive changes to its tree.

#include <memory>

#include "engine/analyze/bind_subquery.h"
#include "engine/exec/read_context.h"
#include "engine/executor.h"
#include "engine/plan/instantiate.h"
#include "engine/session.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

int Pos(int location) { return location >= 0 ? location + 1 : 0; }

Scope TableScope(const TableDef& def, const ast::TableRef& ref) {
  Scope scope;
  const std::string& qualifier = ref.alias.empty() ? def.name : ref.alias;
  for (const ColumnDef& c : def.columns) scope.push_back({qualifier, c.name, c.type});
  return scope;
}

// RETURNING: a select list over the table's columns, evaluated per affected row.
struct Returning {
  bool active = false;
  BoundItems items;

  Status Bind(const Scope& scope, const std::vector<ast::SelectItem>& list) {
    if (list.empty()) return Ok();
    active = true;
    Binder binder(scope);
    binder.SetClause("RETURNING");
    SQLRITE_ASSIGN_OR_RETURN(items, BindSelectItems(binder, scope, list));
    return Ok();
  }
  Status Emit(const Row& row, QueryResult& result) const {
    if (!active) return Ok();
    Row out;
    out.reserve(items.exprs.size());
    for (const BoundExpr& e : items.exprs) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e, EvalContext{row.data(), nullptr}));
      out.push_back(std::move(v));
    }
    result.rows.push_back(std::move(out));
    return Ok();
  }
  void Finish(QueryResult& result) {
    if (!active) return;
    result.returns_rows = true;
    result.columns = std::move(items.columns);
  }
};

bool ContainsSubquery(const BoundExpr& e) {
  if (e.kind == ExprKind::kSubquery) return true;
  for (const BoundExpr& a : e.args) {
    if (ContainsSubquery(a)) return true;
  }
  return false;
}

// An UPDATE's or DELETE's WHERE: subqueries allowed (they read the state before the statement's
// changes, since the matching rows are all collected before the first change), bound over scope
// and made runnable over rctx.
Result<BoundExpr> BindDmlWhere(ExecContext& ctx, const Scope& scope, const ast::Expr& where,
                               exec::ReadContext& rctx) {
  QuerySubqueries subqueries(ctx, nullptr);
  Binder binder(scope);
  binder.SetSubqueries(&subqueries);
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.BindCondition(where, "WHERE"));
  plan::InstantiateSubqueries(e, rctx);
  return e;
}

Result<TableDef*> MutableTable(ExecContext& ctx, const ast::TableName& name) {
  TableDef* def = ctx.db.catalog().FindMutable(name.name);
  if (def == nullptr) return UndefinedTable(name);
  return def;
}

// The rows of def that satisfy where (every row when null), as (rowid key, row) pairs. UPDATE
// and DELETE collect first and modify after, since a B+tree cursor dies with any change.
Result<std::vector<std::pair<std::string, Row>>> MatchingRows(Database& db, const TableDef& def,
                                                              const BoundExpr* where,
                                                              InterruptCheck& interrupts) {
  std::vector<std::pair<std::string, Row>> matches;
  SQLRITE_TRY(ScanTable(
      db, def, where,
      [&](std::string_view key, Row& row) -> Result<bool> {
        matches.emplace_back(std::string(key), row);
        return true;
      },
      &interrupts));
  return matches;
}

Result<int> TargetColumn(const TableDef& def, const std::string& column, int location) {
  int c = def.FindColumn(column);
  if (c < 0) {
    return Fail(Error(sqlstate::kUndefinedColumn,
                      "column \"" + column + "\" of relation \"" + def.name + "\" does not exist")
                    .WithPosition(Pos(location)));
  }
  return c;
}

}  // namespace

static Result<QueryResult> ExecuteInsertUnguarded(ExecContext& ctx, const ast::Insert& stmt) {
  SQLRITE_ASSIGN_OR_RETURN(TableDef * def, MutableTable(ctx, stmt.table.table));
  const int64_t rowid_before = def->next_rowid;
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  std::vector<int> targets;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < def->columns.size(); ++i) targets.push_back(static_cast<int>(i));
  } else {
    for (const std::string& name : stmt.columns) {
      SQLRITE_ASSIGN_OR_RETURN(int c, TargetColumn(*def, name, -1));
      for (int t : targets) {
        if (t == c) {
          return Fail(sqlstate::kDuplicateColumn,
                      "column \"" + name + "\" specified more than once");
        }
      }
      targets.push_back(c);
    }
  }
  Scope scope = TableScope(*def, stmt.table);
  Returning returning;
  SQLRITE_TRY(returning.Bind(scope, stmt.returning));

  QueryResult result;
  int64_t count = 0;
  if (stmt.select) {
    SQLRITE_ASSIGN_OR_RETURN(QueryResult source, ExecuteSelect(ctx, *stmt.select));
    if (source.columns.size() > targets.size()) {
      return Fail(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
    }
    if (source.columns.size() < targets.size() && !stmt.columns.empty()) {
      return Fail(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
    }
    // Coerce each source column once: a column reference into the source row, cast as an
    // assignment to the target column.
    std::vector<BoundExpr> converters;
    for (size_t i = 0; i < source.columns.size(); ++i) {
      const ColumnDef& col = def->columns[static_cast<size_t>(targets[i])];
      BoundExpr ref;
      ref.kind = ExprKind::kColumn;
      ref.index = static_cast<int>(i);
      ref.type = SqlType{source.columns[i].type, source.columns[i].typmod};
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr conv,
                               CoerceForAssignment(std::move(ref), col.type, col.name, -1));
      converters.push_back(std::move(conv));
    }
    for (const Row& src : source.rows) {
      if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
      Row row = DefaultRow(*def);
      for (size_t i = 0; i < converters.size(); ++i) {
        SQLRITE_ASSIGN_OR_RETURN(row[static_cast<size_t>(targets[i])],
                                 Eval(converters[i], EvalContext{src.data(), nullptr}));
      }
      SQLRITE_TRY(InsertRow(ctx.db, *def, row));
      SQLRITE_TRY(returning.Emit(row, result));
      ++count;
    }
  } else {
    Scope no_columns;
    Binder binder(no_columns);
    binder.SetClause("VALUES");
    for (const auto& values : stmt.rows) {
      if (values.size() != stmt.rows[0].size()) {
        return Fail(Error(sqlstate::kSyntaxError, "VALUES lists must all be the same length")
                        .WithPosition(values.empty() ? 0 : Pos(values[0]->location)));
      }
    }
    for (const auto& values : stmt.rows) {
      if (values.size() > targets.size()) {
        return Fail(Error(sqlstate::kSyntaxError, "INSERT has more expressions than target columns")
                        .WithPosition(Pos(ExprLocation(*values[targets.size()]))));
      }
      if (values.size() < targets.size() && !stmt.columns.empty()) {
        return Fail(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
      }
      if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
      Row row = DefaultRow(*def);
      for (size_t i = 0; i < values.size(); ++i) {
        const ast::Expr& expr = *values[i];
        if (std::holds_alternative<ast::DefaultMarker>(expr.node)) continue;
        const ColumnDef& col = def->columns[static_cast<size_t>(targets[i])];
        SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(expr));
        SQLRITE_ASSIGN_OR_RETURN(
            e, CoerceForAssignment(std::move(e), col.type, col.name, ExprLocation(expr)));
        if (e.IsConst() || ctx.describe_only) {
          row[static_cast<size_t>(targets[i])] = std::move(e.value);
        } else {
          SQLRITE_ASSIGN_OR_RETURN(row[static_cast<size_t>(targets[i])], Eval(e, EvalContext{}));
        }
      }
      if (ctx.describe_only) continue;
      SQLRITE_TRY(InsertRow(ctx.db, *def, row));
      SQLRITE_TRY(returning.Emit(row, result));
      ++count;
    }
  }
  if (def->next_rowid != rowid_before && !ctx.describe_only)
    SQLRITE_TRY(ctx.db.catalog().Save(*def));
  returning.Finish(result);
  result.command_tag = "INSERT 0 " + std::to_string(count);
  return result;
}

static Result<QueryResult> ExecuteUpdateUnguarded(ExecContext& ctx, const ast::Update& stmt) {
  SQLRITE_ASSIGN_OR_RETURN(TableDef * def, MutableTable(ctx, stmt.table.table));
  Scope scope = TableScope(*def, stmt.table);
  struct Set {
    size_t column;
    BoundExpr value;
  };
  std::vector<Set> sets;
  // SET values may run subqueries too; they read the table as it was before the statement (every
  // new row is computed before the first change, below).
  exec::ReadContext rctx{ctx.db.pager(), ctx.session.StatementInterruptCheck()};
  QuerySubqueries subqueries(ctx, nullptr);
  bool sets_run_subqueries = false;
  Binder binder(scope);
  binder.SetSubqueries(&subqueries);
  binder.SetClause("UPDATE");
  for (const ast::Assignment& a : stmt.assignments) {
    SQLRITE_ASSIGN_OR_RETURN(int c, TargetColumn(*def, a.column, a.location));
    const ColumnDef& col = def->columns[static_cast<size_t>(c)];
    BoundExpr e;
    if (std::holds_alternative<ast::DefaultMarker>(a.value->node)) {
      e.kind = ExprKind::kConst;
      e.type = col.type;
      e.value = col.has_default ? col.default_value : Datum{};
    } else {
      SQLRITE_ASSIGN_OR_RETURN(e, binder.Bind(*a.value));
      SQLRITE_ASSIGN_OR_RETURN(
          e, CoerceForAssignment(std::move(e), col.type, col.name, ExprLocation(*a.value)));
      if (ContainsSubquery(e)) {
        sets_run_subqueries = true;
        plan::InstantiateSubqueries(e, rctx);
      }
    }
    sets.push_back({static_cast<size_t>(c), std::move(e)});
  }
  BoundExpr where;
  if (stmt.where) {
    SQLRITE_ASSIGN_OR_RETURN(where, BindDmlWhere(ctx, scope, *stmt.where, rctx));
  }
  Returning returning;
  SQLRITE_TRY(returning.Bind(scope, stmt.returning));
  QueryResult result;
  if (ctx.describe_only) {
    returning.Finish(result);
    return result;
  }

  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  SQLRITE_ASSIGN_OR_RETURN(auto matches,
                           MatchingRows(ctx.db, *def, stmt.where ? &where : nullptr, interrupts));
  auto compute = [&](const Row& old_row, Row& new_row) -> Status {
    new_row = old_row;
    for (const Set& s : sets) {
      SQLRITE_ASSIGN_OR_RETURN(new_row[s.column],
                               Eval(s.value, EvalContext{old_row.data(), nullptr}));
    }
    return Ok();
  };
  std::vector<Row> computed;  // with subqueries in SET: every new row, before any change
  if (sets_run_subqueries) {
    computed.resize(matches.size());
    for (size_t i = 0; i < matches.size(); ++i) {
      if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
      SQLRITE_TRY(compute(matches[i].second, computed[i]));
    }
  }
  Row new_row;
  for (size_t i = 0; i < matches.size(); ++i) {
    const std::string& key = matches[i].first;
    const Row& old_row = matches[i].second;
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    if (sets_run_subqueries) {
      new_row = std::move(computed[i]);
    } else {
      SQLRITE_TRY(compute(old_row, new_row));
    }
    SQLRITE_TRY(UpdateRow(ctx.db, *def, key, old_row, new_row));
    SQLRITE_TRY(returning.Emit(new_row, result));
  }
  returning.Finish(result);
  result.command_tag = "UPDATE " + std::to_string(matches.size());
  return result;
}

static Result<QueryResult> ExecuteDeleteUnguarded(ExecContext& ctx, const ast::Delete& stmt) {
  SQLRITE_ASSIGN_OR_RETURN(TableDef * def, MutableTable(ctx, stmt.table.table));
  Scope scope = TableScope(*def, stmt.table);
  exec::ReadContext rctx{ctx.db.pager(), ctx.session.StatementInterruptCheck()};
  BoundExpr where;
  if (stmt.where) {
    SQLRITE_ASSIGN_OR_RETURN(where, BindDmlWhere(ctx, scope, *stmt.where, rctx));
  }
  Returning returning;
  SQLRITE_TRY(returning.Bind(scope, stmt.returning));
  QueryResult result;
  if (ctx.describe_only) {
    returning.Finish(result);
    return result;
  }
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  SQLRITE_ASSIGN_OR_RETURN(auto matches,
                           MatchingRows(ctx.db, *def, stmt.where ? &where : nullptr, interrupts));
  for (auto& [key, row] : matches) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    SQLRITE_TRY(DeleteRow(ctx.db, *def, key, row));
    SQLRITE_TRY(returning.Emit(row, result));
  }
  returning.Finish(result);
  result.command_tag = "DELETE " + std::to_string(matches.size());
  return result;
}

Result<QueryResult> ExecuteInsert(ExecContext& ctx, const ast::Insert& stmt) {
  return GuardStatement([&] { return ExecuteInsertUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteUpdate(ExecContext& ctx, const ast::Update& stmt) {
  return GuardStatement([&] { return ExecuteUpdateUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteDelete(ExecContext& ctx, const ast::Delete& stmt) {
  return GuardStatement([&] { return ExecuteDeleteUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
