// SELECT: binds the statement, then builds its pipeline of operators (engine/exec/): scan (a
// point lookup or rowid range when WHERE pins or bounds a key) or cross join -> filter -> [group
// and aggregate -> HAVING] -> project -> DISTINCT -> ORDER BY -> OFFSET/LIMIT.

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "common/assert.h"
#include "engine/exec/aggregate.h"
#include "engine/exec/cross_join.h"
#include "engine/exec/distinct.h"
#include "engine/exec/filter.h"
#include "engine/exec/limit.h"
#include "engine/exec/operator_rows.h"
#include "engine/exec/project.h"
#include "engine/exec/scan.h"
#include "engine/exec/sort.h"
#include "engine/executor.h"
#include "engine/key_codec.h"
#include "engine/session.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

int Pos(int location) { return location >= 0 ? location + 1 : 0; }

bool SameExpr(const BoundExpr& a, const BoundExpr& b) {
  if (a.kind != b.kind || !(a.type == b.type) || a.op != b.op || a.index != b.index ||
      a.negated != b.negated || a.flag != b.flag || a.value != b.value ||
      a.args.size() != b.args.size()) {
    return false;
  }
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!SameExpr(a.args[i], b.args[i])) return false;
  }
  return true;
}

// Column refs outside aggregates must be grouped (42803): either a grouped column or inside a
// subexpression that is itself a GROUP BY expression.
Status CheckGrouped(const BoundExpr& e, const std::set<int>& grouped,
                    const std::vector<BoundExpr>& group_by, const Scope& scope) {
  if (e.kind == ExprKind::kAggRef) return Ok();
  for (const BoundExpr& g : group_by) {
    if (SameExpr(e, g)) return Ok();
  }
  if (e.kind == ExprKind::kColumn && !grouped.count(e.index)) {
    const ScopeColumn& c = scope[static_cast<size_t>(e.index)];
    return Fail(Error(sqlstate::kGroupingError,
                      "column \"" + c.table + "." + c.name +
                          "\" must appear in the GROUP BY clause or be used in an aggregate "
                          "function")
                    .WithPosition(Pos(e.location)));
  }
  for (const BoundExpr& a : e.args) SQLRITE_TRY(CheckGrouped(a, grouped, group_by, scope));
  return Ok();
}

Result<int64_t> EvalCount(const ast::Expr& expr, const char* what) {
  Scope none;
  Binder binder(none);
  binder.SetClause(what);
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(expr));
  if (e.type.id == TypeId::kUnknown) {
    SQLRITE_ASSIGN_OR_RETURN(
        e, CoerceForAssignment(std::move(e), SqlType{TypeId::kInt8, -1}, what, ExprLocation(expr)));
  }
  if (!IsNumericType(e.type.id)) {
    return Fail(Error(sqlstate::kDatatypeMismatch, std::string("argument of ") + what +
                                                       " must be type bigint, not type " +
                                                       std::string(TypeName(e.type.id)))
                    .WithPosition(Pos(ExprLocation(expr))));
  }
  SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e, EvalContext{}));
  if (IsNull(v)) return std::numeric_limits<int64_t>::max();
  SQLRITE_ASSIGN_OR_RETURN(v, CastDatum(v, e.type.id, SqlType{TypeId::kInt8, -1}, true));
  int64_t n = DatumAs<int64_t>(v);
  if (n < 0) {
    return Fail(std::string_view(what) == "OFFSET" ? sqlstate::kInvalidRowCountInResultOffsetClause
                                                   : sqlstate::kInvalidRowCountInLimitClause,
                std::string(what) + " must not be negative");
  }
  return n;
}

}  // namespace

Result<BoundItems> BindSelectItems(Binder& binder, const Scope& scope,
                                   const std::vector<ast::SelectItem>& items) {
  BoundItems out;
  for (const ast::SelectItem& item : items) {
    if (item.star) {
      bool any = false;
      for (size_t i = 0; i < scope.size(); ++i) {
        if (!item.star_table.empty() && scope[i].table != item.star_table) continue;
        any = true;
        BoundExpr e;
        e.kind = ExprKind::kColumn;
        e.index = static_cast<int>(i);
        e.type = scope[i].type;
        out.exprs.push_back(std::move(e));
        out.columns.push_back({scope[i].name, scope[i].type.id, scope[i].type.typmod});
        out.from_star.push_back(true);
      }
      if (!any && !item.star_table.empty()) {
        return Fail(sqlstate::kUndefinedTable,
                    "missing FROM-clause entry for table \"" + item.star_table + "\"");
      }
      if (!any && item.star_table.empty() && scope.empty()) {
        return Fail(sqlstate::kSyntaxError, "SELECT * with no tables specified is not valid");
      }
      continue;
    }
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(*item.expr));
    if (e.type.id == TypeId::kUnknown) {
      NoteParamType(e, SqlType{TypeId::kText, -1});
      e.type = SqlType{TypeId::kText, -1};
    }
    out.columns.push_back(
        {item.alias.empty() ? FigureColumnName(*item.expr) : item.alias, e.type.id, e.type.typmod});
    out.exprs.push_back(std::move(e));
    out.from_star.push_back(false);
  }
  // PostgreSQL's MaxTupleAttributeNumber, checked (free_parsestate) once the whole list is
  // analysed, so an error inside an item comes first. A row description's column count is 16
  // bits on the wire: past the cap a result could not even be described.
  if (out.columns.size() > kMaxTargetListEntries) {
    return Fail(sqlstate::kTooManyColumns, "target lists can have at most " +
                                               std::to_string(kMaxTargetListEntries) + " entries");
  }
  return out;
}

static Result<SelectPipeline> BuildSelectUnguarded(ExecContext& ctx, const ast::Select& stmt) {
  // FROM: the scope is every table's columns, in order.
  Scope scope;
  std::vector<const TableDef*> tables;
  for (const ast::TableRef& ref : stmt.from) {
    const TableDef* def =
        ctx.catalog != nullptr ? ctx.catalog->Find(ref.table.name) : LookupTable(ctx.db, ref.table);
    if (def == nullptr) return UndefinedTable(ref.table);
    tables.push_back(def);
    const std::string& qualifier = ref.alias.empty() ? def->name : ref.alias;
    for (const ScopeColumn& seen : scope) {
      if (seen.table == qualifier) {
        return Fail(sqlstate::kDuplicateAlias,
                    "table name \"" + qualifier + "\" specified more than once");
      }
    }
    for (const ColumnDef& c : def->columns) scope.push_back({qualifier, c.name, c.type});
  }

  // PostgreSQL's order (transformSelectStmt): the target list, then WHERE, so that of two bad
  // clauses the same one is reported.
  std::vector<AggSpec> aggs;
  Binder binder(scope);
  binder.AllowAggregates(&aggs);
  SQLRITE_ASSIGN_OR_RETURN(BoundItems items, BindSelectItems(binder, scope, stmt.items));

  BoundExpr where;
  bool has_where = stmt.where != nullptr;
  if (has_where) {
    Binder where_binder(scope);
    SQLRITE_ASSIGN_OR_RETURN(where, where_binder.BindCondition(*stmt.where, "WHERE"));
  }

  std::vector<BoundExpr> group_by;
  for (const auto& g : stmt.group_by) {
    if (auto* lit = std::get_if<ast::IntLiteral>(&g->node)) {
      if (lit->value < 1 || lit->value > static_cast<int64_t>(items.exprs.size())) {
        return Fail(
            Error(sqlstate::kInvalidColumnReference,
                  "GROUP BY position " + std::to_string(lit->value) + " is not in select list")
                .WithPosition(Pos(g->location)));
      }
      group_by.push_back(items.exprs[static_cast<size_t>(lit->value - 1)]);
      continue;
    }
    Binder gb(scope);
    gb.SetClause("GROUP BY");
    auto e = gb.Bind(*g);
    if (!e && e.error().sqlstate == sqlstate::kUndefinedColumn) {
      // As in PostgreSQL, a bare name that is no input column may name an output column.
      if (auto* ref = std::get_if<ast::ColumnRef>(&g->node); ref && ref->table.empty()) {
        for (size_t i = 0; i < items.columns.size(); ++i) {
          if (!items.from_star[i] && items.columns[i].name == ref->column) {
            e = items.exprs[i];
            break;
          }
        }
      }
    }
    if (!e) return Fail(std::move(e.error()));
    group_by.push_back(std::move(*e));
  }

  BoundExpr having;
  if (stmt.having) {
    binder.SetClause("HAVING");
    SQLRITE_ASSIGN_OR_RETURN(having, binder.BindCondition(*stmt.having, "HAVING"));
  }

  // ORDER BY: an ordinal or a bare output-column name sorts by that output column; anything
  // else is evaluated over the input row as a hidden expression.
  std::vector<exec::SortKey> sort_keys;  // column: output column, or hidden expression
  std::vector<BoundExpr> sort_exprs;
  for (const ast::OrderItem& o : stmt.order_by) {
    exec::SortKey key;
    key.descending = o.descending;
    key.nulls_first = o.nulls_first.value_or(o.descending);
    if (auto* lit = std::get_if<ast::IntLiteral>(&o.expr->node)) {
      if (lit->value < 1 || lit->value > static_cast<int64_t>(items.columns.size())) {
        return Fail(
            Error(sqlstate::kInvalidColumnReference,
                  "ORDER BY position " + std::to_string(lit->value) + " is not in select list")
                .WithPosition(Pos(o.expr->location)));
      }
      key.column = static_cast<size_t>(lit->value - 1);
      sort_keys.push_back(key);
      continue;
    }
    if (auto* ref = std::get_if<ast::ColumnRef>(&o.expr->node); ref && ref->table.empty()) {
      int match = -1;
      for (size_t i = 0; i < items.columns.size(); ++i) {
        if (!items.from_star[i] && items.columns[i].name == ref->column) {
          match = static_cast<int>(i);
          break;
        }
      }
      if (match >= 0) {
        key.column = static_cast<size_t>(match);
        sort_keys.push_back(key);
        continue;
      }
    }
    binder.SetClause("ORDER BY");
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(*o.expr));
    // Hidden: after the output columns in the projected row.
    key.column = items.exprs.size() + sort_exprs.size();
    sort_exprs.push_back(std::move(e));
    sort_keys.push_back(key);
  }

  int64_t limit = std::numeric_limits<int64_t>::max();
  int64_t offset = 0;
  if (stmt.limit) {
    SQLRITE_ASSIGN_OR_RETURN(limit, EvalCount(*stmt.limit, "LIMIT"));
  }
  if (stmt.offset) {
    SQLRITE_ASSIGN_OR_RETURN(offset, EvalCount(*stmt.offset, "OFFSET"));
  }

  const bool aggregated = !aggs.empty() || !group_by.empty() || stmt.having != nullptr;
  if (aggregated) {
    std::set<int> grouped;
    for (const BoundExpr& g : group_by) {
      if (g.kind == ExprKind::kColumn) grouped.insert(g.index);
    }
    for (const BoundExpr& e : items.exprs) {
      SQLRITE_TRY(CheckGrouped(e, grouped, group_by, scope));
    }
    for (const BoundExpr& e : sort_exprs) {
      SQLRITE_TRY(CheckGrouped(e, grouped, group_by, scope));
    }
    if (stmt.having) SQLRITE_TRY(CheckGrouped(having, grouped, group_by, scope));
  }

  SelectPipeline pipeline;
  // As PostgreSQL's plans would (ExecSupportsBackwardScan): a scan of one table runs backward,
  // joins, Agg and Unique do not, and a Sort on top of any of them does (hashed DISTINCT then
  // ORDER BY). An approximation of the planner's choice: a grouped query's ORDER BY may be met
  // by a sorted Agg, so it is taken as not scrollable.
  const bool sorted_on_top = !stmt.order_by.empty() && !aggregated;
  pipeline.backward_scan =
      (stmt.from.size() == 1 && !aggregated && !stmt.distinct) || sorted_on_top;
  if (ctx.describe_only) {
    pipeline.columns = std::move(items.columns);
    return pipeline;
  }

  // The pipeline, bottom up: scan (the WHERE pushed into it) or cross join -> filter ->
  // [aggregate -> HAVING] -> project (select list + hidden sort values) -> DISTINCT -> sort ->
  // OFFSET/LIMIT.
  pipeline.bounded =
      tables.empty() || (tables.size() == 1 && has_where && PinsOneRow(*tables[0], where));
  storage::PageSource& pages =
      ctx.pages != nullptr ? *ctx.pages : static_cast<storage::PageSource&>(ctx.db.pager());
  auto rctx = std::make_unique<exec::ReadContext>(
      exec::ReadContext{pages, ctx.session.StatementInterruptCheck()});
  exec::ReadContext& rc = *rctx;
  exec::OperatorPtr op;
  if (tables.empty()) {
    op = exec::MakeSingleRow();
    if (has_where) op = exec::MakeFilter(rc, std::move(op), std::move(where));
  } else if (tables.size() == 1) {
    std::optional<BoundExpr> pushed;
    if (has_where) pushed = std::move(where);
    op = exec::MakeTableScan(rc, *tables[0], std::move(pushed));
  } else {
    // Left-deep: ((t1 x t2) x t3) ..., the last table varying fastest.
    op = exec::MakeTableScan(rc, *tables[0], std::nullopt);
    for (size_t t = 1; t < tables.size(); ++t) {
      op =
          exec::MakeCrossJoin(rc, std::move(op), exec::MakeTableScan(rc, *tables[t], std::nullopt));
    }
    if (has_where) op = exec::MakeFilter(rc, std::move(op), std::move(where));
  }
  size_t agg_offset = exec::kNoAggregates;
  if (aggregated) {
    agg_offset = scope.size();
    op = exec::MakeAggregate(rc, std::move(op), std::move(group_by), std::move(aggs), scope.size());
    if (stmt.having) op = exec::MakeFilter(rc, std::move(op), std::move(having), agg_offset);
  }
  const size_t width = items.exprs.size();
  std::vector<BoundExpr> projected = std::move(items.exprs);
  for (BoundExpr& e : sort_exprs) projected.push_back(std::move(e));
  // Without a table and without aggregates, the one row is projected once.
  op = exec::MakeProject(rc, std::move(op), std::move(projected), agg_offset,
                         /*single_row=*/tables.empty() && !aggregated);
  if (stmt.distinct) {
    std::vector<TypeId> key_types;
    for (const ColumnInfo& c : items.columns) key_types.push_back(c.type);
    op = exec::MakeDistinct(rc, std::move(op), std::move(key_types));
  }
  if (!sort_keys.empty()) op = exec::MakeSort(rc, std::move(op), std::move(sort_keys), width);
  // OFFSET and LIMIT are in [0, INT64_MAX] (EvalCount).
  SQLRITE_ASSERT(offset >= 0 && limit >= 0);
  if (offset > 0 || limit != std::numeric_limits<int64_t>::max()) {
    op = exec::MakeLimit(std::move(op), offset, limit);
  }
  pipeline.columns = std::move(items.columns);
  pipeline.rows = std::make_unique<exec::OperatorRows>(std::move(rctx), std::move(op));
  return pipeline;
}

Result<SelectPipeline> BuildSelect(ExecContext& ctx, const ast::Select& stmt) {
  return BuildSelectUnguarded(ctx, stmt);
}

Result<std::vector<Row>> DrainWithinStatement(RowSource& rows) {
  std::vector<Row> all;
  for (;;) {
    SQLRITE_ASSIGN_OR_RETURN(size_t n, rows.NextBatch(exec::kBatchRows, &all));
    if (n == 0) return all;
  }
}

Result<QueryResult> ExecuteSelect(ExecContext& ctx, const ast::Select& stmt) {
  return GuardStatement([&]() -> Result<QueryResult> {
    SQLRITE_ASSIGN_OR_RETURN(SelectPipeline pipeline, BuildSelectUnguarded(ctx, stmt));
    QueryResult result;
    result.returns_rows = true;
    result.columns = std::move(pipeline.columns);
    result.backward_scan = pipeline.backward_scan;
    if (pipeline.rows == nullptr) return result;  // described only
    SQLRITE_ASSIGN_OR_RETURN(result.rows, DrainWithinStatement(*pipeline.rows));
    result.command_tag = "SELECT " + std::to_string(result.rows.size());
    return result;
  });
}

}  // namespace sqlrite::engine
