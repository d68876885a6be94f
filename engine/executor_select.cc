// SELECT: scan (a point lookup when WHERE pins a key) or cross join -> filter -> [group and
// aggregate -> HAVING] -> project -> DISTINCT -> ORDER BY -> OFFSET/LIMIT.

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "common/assert.h"
#include "engine/executor.h"
#include "engine/interruptible_sort.h"
#include "engine/key_codec.h"
#include "engine/row_codec.h"
#include "engine/session.h"
#include "engine/table_access.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

int Pos(int location) { return location >= 0 ? location + 1 : 0; }

struct AggState {
  int64_t count = 0;
  int64_t int_sum = 0;
  bool int_overflow = false;
  double sum = 0;
  Datum best;                  // min / max
  std::set<std::string> seen;  // DISTINCT
};

Status Accumulate(const AggSpec& spec, AggState& st, const EvalContext& ctx) {
  if (spec.kind == AggKind::kCountStar) {
    ++st.count;
    return Ok();
  }
  SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(spec.arg, ctx));
  if (IsNull(v)) return Ok();
  if (spec.distinct) {
    std::string key;
    AppendKeyColumn(key, v, spec.arg.type.id);
    if (!st.seen.insert(std::move(key)).second) return Ok();
  }
  ++st.count;
  switch (spec.kind) {
    case AggKind::kSum:
    case AggKind::kAvg:
      if (auto* i = std::get_if<int64_t>(&v)) {
        if (__builtin_add_overflow(st.int_sum, *i, &st.int_sum)) st.int_overflow = true;
        st.sum += static_cast<double>(*i);
      } else {
        st.sum += DatumAs<double>(v);
      }
      break;
    case AggKind::kMin:
    case AggKind::kMax:
      if (IsNull(st.best)) {
        st.best = std::move(v);
      } else {
        int c = CompareDatums(v, st.best);
        if ((spec.kind == AggKind::kMin && c < 0) || (spec.kind == AggKind::kMax && c > 0)) {
          st.best = std::move(v);
        }
      }
      break;
    default:
      break;
  }
  return Ok();
}

Result<Datum> Finish(const AggSpec& spec, const AggState& st) {
  switch (spec.kind) {
    case AggKind::kCountStar:
    case AggKind::kCount:
      return Datum(st.count);
    case AggKind::kSum:
      if (st.count == 0) return Datum{};
      if (spec.type.id == TypeId::kInt8) {
        if (st.int_overflow) return Fail(sqlstate::kNumericValueOutOfRange, "bigint out of range");
        return Datum(st.int_sum);
      }
      return Datum(st.sum);
    case AggKind::kAvg:
      if (st.count == 0) return Datum{};
      return Datum(st.sum / static_cast<double>(st.count));
    case AggKind::kMin:
    case AggKind::kMax:
      return st.best;
  }
  return Datum{};
}

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
    return Fail(sqlstate::kInvalidRowCountInLimitClause,
                std::string(what) + " must not be negative");
  }
  return n;
}

struct SortKey {
  bool output = false;  // refers to an output column
  int index = 0;        // output column, or position in the hidden sort expressions
  bool descending = false;
  bool nulls_first = false;
};

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

static Result<QueryResult> ExecuteSelectUnguarded(ExecContext& ctx, const ast::Select& stmt) {
  // FROM: the scope is every table's columns, in order.
  Scope scope;
  std::vector<const TableDef*> tables;
  for (const ast::TableRef& ref : stmt.from) {
    const TableDef* def = LookupTable(ctx.db, ref.table);
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
  std::vector<SortKey> sort_keys;
  std::vector<BoundExpr> sort_exprs;
  for (const ast::OrderItem& o : stmt.order_by) {
    SortKey key;
    key.descending = o.descending;
    key.nulls_first = o.nulls_first.value_or(o.descending);
    if (auto* lit = std::get_if<ast::IntLiteral>(&o.expr->node)) {
      if (lit->value < 1 || lit->value > static_cast<int64_t>(items.columns.size())) {
        return Fail(
            Error(sqlstate::kInvalidColumnReference,
                  "ORDER BY position " + std::to_string(lit->value) + " is not in select list")
                .WithPosition(Pos(o.expr->location)));
      }
      key.output = true;
      key.index = static_cast<int>(lit->value - 1);
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
        key.output = true;
        key.index = match;
        sort_keys.push_back(key);
        continue;
      }
    }
    binder.SetClause("ORDER BY");
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(*o.expr));
    key.index = static_cast<int>(sort_exprs.size());
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

  if (ctx.describe_only) {
    QueryResult described;
    described.returns_rows = true;
    described.columns = std::move(items.columns);
    return described;
  }

  // Output rows with their hidden sort values.
  std::vector<Row> out_rows;
  std::vector<Row> sort_values;
  const bool need_all = aggregated || !sort_keys.empty() || stmt.distinct;
  // Rows to produce before the scan may stop (-1: all). offset + limit saturates: past the
  // int64 range no table has that many rows anyway.
  int64_t wanted = -1;
  if (!need_all && limit != std::numeric_limits<int64_t>::max() &&
      __builtin_add_overflow(offset, limit, &wanted)) {
    wanted = -1;
  }

  // Set when project() runs for the last time: its constants then move into the row instead of
  // being copied (a select of a 50 MB literal holds it once less).
  bool last_projection = false;
  auto project = [&](const EvalContext& ectx) -> Status {
    Row out;
    out.reserve(items.exprs.size());
    for (BoundExpr& e : items.exprs) {
      if (last_projection && e.kind == ExprKind::kConst) {
        out.push_back(std::move(e.value));
        continue;
      }
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e, ectx));
      out.push_back(std::move(v));
    }
    if (!sort_exprs.empty()) {
      Row keys;
      for (const BoundExpr& e : sort_exprs) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e, ectx));
        keys.push_back(std::move(v));
      }
      sort_values.push_back(std::move(keys));
    }
    SQLRITE_ASSERT(out.size() == items.columns.size());  // one value per output column
    out_rows.push_back(std::move(out));
    return Ok();
  };

  // Groups: encoded group key -> (first input row, aggregate states).
  struct Group {
    Row row;
    std::vector<AggState> states;
  };
  std::map<std::string, size_t> group_index;
  std::vector<Group> groups;
  auto consume = [&](const Row& input) -> Result<bool> {
    EvalContext ectx{input.data(), nullptr};
    if (!aggregated) {
      SQLRITE_TRY(project(ectx));
      return wanted < 0 || static_cast<int64_t>(out_rows.size()) < wanted;
    }
    std::string key;
    for (const BoundExpr& g : group_by) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(g, ectx));
      AppendKeyColumn(key, v, g.type.id);
    }
    auto [it, inserted] = group_index.emplace(std::move(key), groups.size());
    if (inserted) groups.push_back(Group{input, std::vector<AggState>(aggs.size())});
    Group& group = groups[it->second];
    for (size_t i = 0; i < aggs.size(); ++i)
      SQLRITE_TRY(Accumulate(aggs[i], group.states[i], ectx));
    return true;
  };

  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  if (tables.empty()) {
    Row empty;
    bool pass = true;
    if (has_where) {
      SQLRITE_ASSIGN_OR_RETURN(pass, EvalCondition(where, EvalContext{}));
    }
    // Without a table and without aggregates, the one row is projected once.
    last_projection = !aggregated;
    if (pass) SQLRITE_TRY(consume(empty));
    last_projection = false;
  } else if (tables.size() == 1) {
    SQLRITE_TRY(ScanTable(
        ctx.db, *tables[0], has_where ? &where : nullptr,
        [&](std::string_view, Row& row) { return consume(row); }, &interrupts));
  } else {
    // Cross join: materialise each table, then walk the product like an odometer.
    std::vector<std::vector<Row>> inputs;
    for (const TableDef* def : tables) {
      std::vector<Row> rows;
      SQLRITE_TRY(ScanTable(
          ctx.db, *def, nullptr,
          [&](std::string_view, Row& row) -> Result<bool> {
            rows.push_back(row);
            return true;
          },
          &interrupts));
      if (rows.empty()) break;
      inputs.push_back(std::move(rows));
    }
    if (inputs.size() == tables.size()) {
      std::vector<size_t> at(inputs.size(), 0);
      Row combined;
      for (bool more = true; more;) {
        // The product can be far larger than its inputs: the loop a runaway query spins in.
        if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
        combined.clear();
        for (size_t t = 0; t < inputs.size(); ++t) {
          const Row& r = inputs[t][at[t]];
          combined.insert(combined.end(), r.begin(), r.end());
        }
        bool pass = true;
        if (has_where) {
          SQLRITE_ASSIGN_OR_RETURN(pass,
                                   EvalCondition(where, EvalContext{combined.data(), nullptr}));
        }
        if (pass) {
          SQLRITE_ASSIGN_OR_RETURN(bool go_on, consume(combined));
          if (!go_on) break;
        }
        size_t t = inputs.size();
        for (;;) {
          if (t == 0) {
            more = false;
            break;
          }
          --t;
          if (++at[t] < inputs[t].size()) break;
          at[t] = 0;
        }
      }
    }
  }

  if (aggregated) {
    if (groups.empty() && group_by.empty()) {
      groups.push_back(Group{Row(scope.size()), std::vector<AggState>(aggs.size())});
    }
    Row agg_values(aggs.size());
    for (Group& g : groups) {
      if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
      for (size_t i = 0; i < aggs.size(); ++i) {
        SQLRITE_ASSIGN_OR_RETURN(agg_values[i], Finish(aggs[i], g.states[i]));
      }
      EvalContext ectx{g.row.data(), agg_values.data()};
      if (stmt.having) {
        SQLRITE_ASSIGN_OR_RETURN(bool pass, EvalCondition(having, ectx));
        if (!pass) continue;
      }
      SQLRITE_TRY(project(ectx));
    }
  }

  std::vector<size_t> order(out_rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (stmt.distinct) {
    std::set<std::string> seen;
    std::vector<size_t> kept;
    for (size_t i : order) {
      if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
      std::string key;
      for (size_t c = 0; c < out_rows[i].size(); ++c) {
        AppendKeyColumn(key, out_rows[i][c], items.columns[c].type);
      }
      if (seen.insert(std::move(key)).second) kept.push_back(i);
    }
    order = std::move(kept);
  }
  if (!sort_keys.empty()) {
    auto less = [&](size_t a, size_t b) {
      for (const SortKey& k : sort_keys) {
        const Datum& x = k.output ? out_rows[a][static_cast<size_t>(k.index)]
                                  : sort_values[a][static_cast<size_t>(k.index)];
        const Datum& y = k.output ? out_rows[b][static_cast<size_t>(k.index)]
                                  : sort_values[b][static_cast<size_t>(k.index)];
        bool xn = IsNull(x), yn = IsNull(y);
        if (xn || yn) {
          if (xn && yn) continue;
          return xn == k.nulls_first;
        }
        int c = CompareDatums(x, y);
        if (c != 0) return k.descending ? c > 0 : c < 0;
      }
      return false;
    };
    SQLRITE_TRY(InterruptibleStableSort(order, less, interrupts));
  }

  QueryResult result;
  result.returns_rows = true;
  result.columns = std::move(items.columns);
  // As PostgreSQL's plans would (ExecSupportsBackwardScan): a scan of one table runs backward,
  // joins, Agg and Unique do not, and a Sort on top of any of them does (hashed DISTINCT then
  // ORDER BY). An approximation of the planner's choice: a grouped query's ORDER BY may be met
  // by a sorted Agg, so it is taken as not scrollable.
  const bool sorted_on_top = !stmt.order_by.empty() && !aggregated;
  result.backward_scan = (stmt.from.size() == 1 && !aggregated && !stmt.distinct) || sorted_on_top;
  // OFFSET and LIMIT are in [0, INT64_MAX] (EvalCount) and the row count fits too, so neither
  // the clamp nor the sum below can overflow.
  SQLRITE_ASSERT(offset >= 0 && limit >= 0);
  const size_t begin =
      static_cast<size_t>(offset) < order.size() ? static_cast<size_t>(offset) : order.size();
  const size_t end = begin + std::min(order.size() - begin, static_cast<size_t>(limit));
  result.rows.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) result.rows.push_back(std::move(out_rows[order[i]]));
  result.command_tag = "SELECT " + std::to_string(result.rows.size());
  return result;
}

Result<QueryResult> ExecuteSelect(ExecContext& ctx, const ast::Select& stmt) {
  return GuardStatement([&] { return ExecuteSelectUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
