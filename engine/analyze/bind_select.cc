// SELECT's analysis: FROM against the catalog, then the clauses in PostgreSQL's order
// (transformSelectStmt): target list, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET, then the
// grouping check.

#include "engine/analyze/bind_select.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "common/assert.h"
#include "engine/analyze/bind_cte.h"
#include "engine/analyze/bind_function.h"
#include "engine/analyze/bind_set_op.h"
#include "engine/analyze/bind_subquery.h"
#include "engine/analyze/bind_values.h"
#include "engine/analyze/grouping_sets.h"
#include "engine/analyze/row_locking.h"
#include "engine/catalog/system_relation.h"
#include "engine/error_position.h"
#include "engine/executor.h"

namespace sqlrite::engine {
namespace {

// BindSelect of a query whose WITH clause, if any, is in env already.
Result<BoundSelect> BindQuery(ExecContext& ctx, const ast::Select& stmt, const BindEnv* env);

// The first output column named `name` that a `*` did not bring (a bare name in GROUP BY, ORDER
// BY or DISTINCT ON may name one, as in PostgreSQL); -1 when none.
int FindOutputColumn(const BoundItems& items, const std::string& name) {
  for (size_t i = 0; i < items.columns.size(); ++i) {
    if (!items.from_star[i] && items.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
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
                      "column \"" + (c.table.empty() ? c.name : c.table + "." + c.name) +
                          "\" must appear in the GROUP BY clause or be used in an aggregate "
                          "function")
                    .WithPosition(ErrorPosition(e.location)));
  }
  for (const BoundExpr& a : e.args) SQLRITE_TRY(CheckGrouped(a, grouped, group_by, scope));
  return Ok();
}

// PostgreSQL's check_functional_grouping: when GROUP BY names every column of a stored table's
// primary key (a deferrable one, a UNIQUE constraint or a unique index does not count), the
// table's other columns are functionally dependent on the key and may be read ungrouped: adds
// them to grouped. A view's or a derived table's columns never are (PostgreSQL sees no
// constraint through a subquery). The aggregate hands out each group's first row, so a dependent
// column reads its group's one value.
void AddFunctionallyDependent(const BoundSelect& out, std::set<int>& grouped) {
  for (const BoundTable& t : out.tables) {
    if (t.def == nullptr || t.def->columns.empty() || t.first_column >= out.scope.size() ||
        out.scope[t.first_column].table_oid == 0 || t.def->system_rows != nullptr) {
      continue;
    }
    for (const IndexDef& index : t.def->indexes) {
      if (!index.primary || index.deferrable || !index.expressions.empty() ||
          !index.predicate.empty()) {
        continue;
      }
      const bool covered = std::all_of(index.columns.begin(), index.columns.end(), [&](int c) {
        return c >= 0 && grouped.count(static_cast<int>(t.first_column) + c) > 0;
      });
      if (!covered) continue;
      for (size_t c = 0; c < t.def->columns.size(); ++c) {
        grouped.insert(static_cast<int>(t.first_column + c));
      }
    }
  }
}

const BoundExpr* FindWindowRef(const BoundExpr& e) {
  if (e.kind == ExprKind::kWindowRef) return &e;
  for (const BoundExpr& a : e.args) {
    if (const BoundExpr* w = FindWindowRef(a)) return w;
  }
  return nullptr;
}

// The first aggregate in e, also one a subquery's outer values hold (an aggregate of outer
// columns moved to this level), or null.
const BoundExpr* FindAggRef(const BoundExpr& e) {
  if (e.kind == ExprKind::kAggRef) return &e;
  for (const BoundExpr& a : e.args) {
    if (const BoundExpr* found = FindAggRef(a)) return found;
  }
  return nullptr;
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
                    .WithPosition(ErrorPosition(ExprLocation(expr))));
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

// The expression a column of the projected row (the select list, then sort_exprs) computes.
const BoundExpr& ProjectedExpr(const BoundSelect& b, size_t column) {
  const size_t n = b.items.exprs.size();
  return column < n ? b.items.exprs[column] : b.sort_exprs[column - n];
}

// DISTINCT ON's expressions, bound as PostgreSQL's transformDistinctOnClause: each names an
// output column (an ordinal or a bare output name) or is an expression, which is the same target
// as an equal select list or ORDER BY expression, else a hidden column of its own. The ORDER BY
// keys that are DISTINCT ON targets must come first (42P10 otherwise); the DISTINCT ON targets
// no ORDER BY key named are sorted after them, ascending. Sets out.distinct_on and extends
// out.sort_keys so that rows of one group are adjacent once sorted.
Status BindDistinctOn(Binder& binder, const std::vector<ast::ExprPtr>& exprs, BoundSelect& out) {
  const BoundItems& items = out.items;
  std::vector<int> locations;
  for (const ast::ExprPtr& d : exprs) {
    locations.push_back(ExprLocation(*d));
    if (auto* lit = std::get_if<ast::IntLiteral>(&d->node)) {
      if (lit->value < 1 || lit->value > static_cast<int64_t>(items.columns.size())) {
        return Fail(
            Error(sqlstate::kInvalidColumnReference,
                  "DISTINCT ON position " + std::to_string(lit->value) + " is not in select list")
                .WithPosition(ErrorPosition(d->location)));
      }
      out.distinct_on.push_back(static_cast<size_t>(lit->value - 1));
      continue;
    }
    if (auto* ref = std::get_if<ast::ColumnRef>(&d->node); ref && ref->table.empty()) {
      const int match = FindOutputColumn(items, ref->column);
      if (match >= 0) {
        out.distinct_on.push_back(static_cast<size_t>(match));
        continue;
      }
    }
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(*d));
    const size_t width = items.exprs.size() + out.sort_exprs.size();
    size_t column = width;
    for (size_t c = 0; c < width && column == width; ++c) {
      if (SameExpr(ProjectedExpr(out, c), e)) column = c;
    }
    if (column == width) out.sort_exprs.push_back(std::move(e));
    out.distinct_on.push_back(column);
  }
  // Whether the targets of two columns are one (PostgreSQL compares target entries).
  auto same = [&](size_t a, size_t b) {
    return a == b || SameExpr(ProjectedExpr(out, a), ProjectedExpr(out, b));
  };
  auto distinct_index = [&](size_t column) -> int {
    for (size_t i = 0; i < out.distinct_on.size(); ++i) {
      if (same(out.distinct_on[i], column)) return static_cast<int>(i);
    }
    return -1;
  };
  auto mismatch = [&](int location) {
    return Fail(Error(sqlstate::kInvalidColumnReference,
                      "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
                    .WithPosition(ErrorPosition(location)));
  };
  bool skipped = false;
  for (const exec::SortKey& k : out.sort_keys) {
    const int i = distinct_index(k.column);
    if (i < 0) {
      skipped = true;
    } else if (skipped) {
      return mismatch(locations[static_cast<size_t>(i)]);
    }
  }
  for (size_t i = 0; i < out.distinct_on.size(); ++i) {
    const size_t column = out.distinct_on[i];
    const bool sorted = std::any_of(out.sort_keys.begin(), out.sort_keys.end(),
                                    [&](const exec::SortKey& k) { return same(k.column, column); });
    if (sorted) continue;
    if (skipped) return mismatch(locations[i]);
    exec::SortKey key;
    key.column = column;
    out.sort_keys.push_back(key);
  }
  return Ok();
}

// A view read in FROM: its stored query bound on its own (it sees neither this query's
// columns nor its WITH queries), as a derived table would be.
Result<BoundSelect> BindView(ExecContext& ctx, const TableDef& view, const BindEnv* env) {
  if (std::find(ctx.expanding_views.begin(), ctx.expanding_views.end(), view.oid) !=
      ctx.expanding_views.end()) {
    return Fail(sqlstate::kInvalidObjectDefinition,
                "infinite recursion detected in rules for relation \"" + view.name + "\"");
  }
  const int depth = (env != nullptr ? env->depth : 0) + 1;
  if (depth > QuerySubqueries::kMaxDepth) {
    return Fail(Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
                    .WithHint("Simplify the query: views are nested too deeply."));
  }
  SQLRITE_ASSERT(view.view_query != nullptr);
  ctx.expanding_views.push_back(view.oid);
  // A view's dependencies are what its own query names (the view it reads, not that view's
  // tables), as PostgreSQL records them.
  std::vector<uint32_t>* const referenced = ctx.referenced_relations;
  ctx.referenced_relations = nullptr;
  const BindEnv inner{nullptr, nullptr, depth};
  Result<BoundSelect> bound = BindSelect(ctx, *view.view_query, &inner);
  ctx.referenced_relations = referenced;
  ctx.expanding_views.pop_back();
  if (bound && bound->items.columns.size() != view.columns.size()) {
    return Fail(sqlstate::kInternalError,
                "view \"" + view.name + "\" no longer matches its stored columns");
  }
  return bound;
}

// The scope a derived table or a function in FROM sees of the FROM items before it, as
// PostgreSQL's namespace of lateral-only items: a function and a LATERAL subquery read them (their
// references collected as the table's lateral values), another subquery is refused them
// (LateralAccess::kHidden); the left side of a RIGHT or FULL join around the item is refused
// with 42P10. Inactive (env unchanged) when nothing comes before the item.
class LateralScope {
 public:
  LateralScope(const BoundSelect& out, const ast::TableRef& ref, const BindEnv* env,
               std::pair<size_t, size_t> refused)
      : visible_(out.scope), binder_(visible_) {
    env_ = env;
    if (out.scope.empty() || (!ref.function && !ref.subquery)) return;
    binder_.SetOuter(env != nullptr ? env->outer : nullptr);
    binder_.SetLateral(
        ref.function || ref.lateral ? LateralAccess::kLateral : LateralAccess::kHidden,
        refused.first, refused.second);
    outer_ = OuterQuery{&binder_, &values_};
    own_env_ =
        BindEnv{&outer_, env != nullptr ? env->ctes : nullptr, env != nullptr ? env->depth : 0};
    env_ = &own_env_;
  }
  LateralScope(const LateralScope&) = delete;
  LateralScope& operator=(const LateralScope&) = delete;

  const BindEnv* env() const { return env_; }
  std::vector<BoundExpr> TakeValues() { return std::move(values_); }

 private:
  Scope visible_;
  Binder binder_;
  std::vector<BoundExpr> values_;
  OuterQuery outer_;
  BindEnv own_env_;
  const BindEnv* env_ = nullptr;
};

// Appends the tables of ref (depth first) to out.tables and their columns to the scope. refused:
// the scope columns a LATERAL item of ref may not read (the left side of a RIGHT or FULL join
// around it).
Status CollectTables(ExecContext& ctx, const ast::TableRef& ref, BoundSelect& out,
                     const BindEnv* env, std::pair<size_t, size_t> refused = {0, 0}) {
  if (ref.join) {
    const size_t left_begin = out.scope.size();
    SQLRITE_TRY(CollectTables(ctx, ref.join->left, out, env, refused));
    if (ref.join->type == ast::JoinType::kRight || ref.join->type == ast::JoinType::kFull) {
      refused = {left_begin, out.scope.size()};
    }
    return CollectTables(ctx, ref.join->right, out, env, refused);
  }
  LateralScope lateral(out, ref, env, refused);
  if (ref.function) {
    SQLRITE_ASSIGN_OR_RETURN(BoundFunction fn, BindFunctionInFrom(ref, lateral.env()));
    const TableDef* def = fn.def.get();
    for (const BoundTable& seen : out.tables) {
      if (seen.qualifier == def->name) {
        return Fail(sqlstate::kDuplicateAlias,
                    "table name \"" + def->name + "\" specified more than once");
      }
    }
    BoundTable t;
    t.def = def;
    t.qualifier = def->name;
    t.first_column = out.scope.size();
    t.derived = std::move(fn.def);
    t.function = std::move(fn.call);
    t.lateral = lateral.TakeValues();
    out.tables.push_back(std::move(t));
    for (const ColumnDef& c : def->columns) out.scope.push_back({def->name, c.name, c.type});
    return Ok();
  }
  std::shared_ptr<BoundSelect> subquery;
  std::shared_ptr<const TableDef> derived;
  std::shared_ptr<const plan::Node> cte_plan;
  int worktable = -1;
  std::shared_ptr<const plan::CteShare> cte_share;
  const CteEntry* cte = nullptr;
  const bool pinned = &ref == ctx.pinned_ref;  // a DML target: the relation it resolved
  if (!ref.subquery && !pinned && env != nullptr && env->ctes != nullptr &&
      ref.table.schema.empty()) {
    cte = env->ctes->Find(ref.table.name);
  }
  if (cte != nullptr && cte->without_returning) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "WITH query \"" + cte->name + "\" does not have a RETURNING clause")
                    .WithPosition(ref.table.location >= 0 ? ref.table.location + 1 : 0));
  }
  if (ref.subquery) {
    // A derived table: its query bound on its own (it sees no column of this FROM), its
    // columns named by the alias list, then by the query's own names.
    SQLRITE_ASSIGN_OR_RETURN(BoundSelect sub, BindSelect(ctx, *ref.subquery, lateral.env()));
    const std::vector<ColumnInfo>& columns = sub.items.columns;
    if (ref.column_aliases.size() > columns.size()) {
      return Fail(sqlstate::kInvalidColumnReference,
                  "table \"" + ref.alias + "\" has " + std::to_string(columns.size()) +
                      " columns available but " + std::to_string(ref.column_aliases.size()) +
                      " columns specified");
    }
    auto def = std::make_shared<TableDef>();
    def->name = ref.alias;
    for (size_t c = 0; c < columns.size(); ++c) {
      ColumnDef col;
      col.name = c < ref.column_aliases.size() ? ref.column_aliases[c] : columns[c].name;
      col.type = columns[c].sql_type();
      def->columns.push_back(std::move(col));
    }
    derived = std::move(def);
    subquery = std::make_shared<BoundSelect>(std::move(sub));
  } else if (cte != nullptr) {
    // A WITH query: its columns, renamed by an alias list as a table's would be.
    if (ref.column_aliases.empty()) {
      derived = cte->def;
    } else {
      if (ref.column_aliases.size() > cte->def->columns.size()) {
        return Fail(sqlstate::kInvalidColumnReference,
                    "table \"" + ref.alias + "\" has " + std::to_string(cte->def->columns.size()) +
                        " columns available but " + std::to_string(ref.column_aliases.size()) +
                        " columns specified");
      }
      auto def = std::make_shared<TableDef>(*cte->def);
      for (size_t c = 0; c < ref.column_aliases.size(); ++c) {
        def->columns[c].name = ref.column_aliases[c];
      }
      derived = std::move(def);
    }
    cte_plan = cte->plan;
    worktable = cte->worktable;
    if (cte->self_references != nullptr) ++*cte->self_references;
    if (cte->share != nullptr) {
      ++cte->share->references;
      cte_share = cte->share;
    }
  }
  if (!ref.subquery && cte == nullptr && !pinned) {
    // pg_catalog comes first on the search path: its relations hide tables of the same name.
    if (const catalog::SystemRelation* rel =
            catalog::ResolveSystemRelation(ref.table.schema, ref.table.name)) {
      std::shared_ptr<const catalog::SystemSource> source = catalog::CurrentSystemSource();
      if (source == nullptr) {
        return Fail(sqlstate::kFeatureNotSupported,
                    "system catalog \"" + ref.table.name + "\" cannot be read in this statement");
      }
      derived = catalog::MakeSystemTable(*rel, std::move(source));
    } else if (ref.table.schema == "pg_catalog" || ref.table.schema == "information_schema") {
      return Fail(Error(sqlstate::kUndefinedTable, "relation \"" + ref.table.schema + "." +
                                                       ref.table.name + "\" does not exist")
                      .WithPosition(ref.table.location + 1));
    }
  }
  const TableDef* def = derived.get();
  if (def == nullptr) {
    def = pinned ? ctx.pinned_def : LookupTable(ctx, ref.table);
    if (def != nullptr && ctx.referenced_relations != nullptr) {
      ctx.referenced_relations->push_back(def->oid);
    }
    if (def != nullptr && def->is_view()) {
      if (ref.column_aliases.size() > def->columns.size()) {
        return Fail(sqlstate::kInvalidColumnReference,
                    "table \"" + ref.alias + "\" has " + std::to_string(def->columns.size()) +
                        " columns available but " + std::to_string(ref.column_aliases.size()) +
                        " columns specified");
      }
      SQLRITE_ASSIGN_OR_RETURN(BoundSelect sub, BindView(ctx, *def, env));
      auto shape = std::make_shared<TableDef>();
      shape->name = def->name;
      shape->oid = def->oid;
      shape->columns = def->columns;
      for (size_t c = 0; c < ref.column_aliases.size(); ++c) {
        shape->columns[c].name = ref.column_aliases[c];
      }
      derived = std::move(shape);
      def = derived.get();
      subquery = std::make_shared<BoundSelect>(std::move(sub));
    }
  }
  if (def == nullptr) return UndefinedTable(ctx, ref.table);
  const std::string& qualifier = ref.alias.empty() ? def->name : ref.alias;
  for (const BoundTable& seen : out.tables) {
    if (seen.qualifier == qualifier) {
      return Fail(sqlstate::kDuplicateAlias,
                  "table name \"" + qualifier + "\" specified more than once");
    }
  }
  // A stored table's or a system relation's columns carry its oid, for the system column
  // tableoid (Binder::BindColumn); a view's, a derived table's or a WITH query's none.
  const bool relation = subquery == nullptr && cte_plan == nullptr && cte_share == nullptr &&
                        worktable < 0 && cte == nullptr && def->has_storage() &&
                        (derived == nullptr || def->system_rows != nullptr);
  const uint32_t table_oid = relation ? def->oid : 0;
  out.tables.push_back({def, qualifier, out.scope.size(), std::move(subquery), derived,
                        std::move(cte_plan), worktable, std::move(cte_share)});
  out.tables.back().lateral = lateral.TakeValues();
  for (const ColumnDef& c : def->columns) {
    out.scope.push_back({qualifier, c.name, c.type, false, table_oid});
  }
  return Ok();
}

BoundExpr ColumnExpr(size_t index, SqlType type) {
  BoundExpr e;
  e.kind = ExprKind::kColumn;
  e.index = static_cast<int>(index);
  e.type = type;
  return e;
}

// The joins of FROM: USING/NATURAL columns merged (a scope column each, whose value is kept in
// merged_), ON and USING conditions bound.
class FromBinder {
 public:
  FromBinder(BoundSelect& out, const OuterQuery* outer, SubqueryBinder* subqueries)
      : out_(out), outer_(outer), subqueries_(subqueries) {}

  // Binds ref, whose first table is out.tables[next_table]; appends the columns its * shows
  // to visible.
  Result<BoundFromItem> Bind(const ast::TableRef& ref, size_t& next_table,
                             std::vector<size_t>& visible) {
    BoundFromItem item;
    item.first_table = next_table;
    if (!ref.join) {
      item.table = next_table++;
      const BoundTable& t = out_.tables[item.table];
      for (size_t c = 0; c < t.def->columns.size(); ++c) visible.push_back(t.first_column + c);
      item.end_table = next_table;
      return item;
    }
    const ast::JoinExpr& j = *ref.join;
    auto join = std::make_unique<BoundJoin>();
    join->type = j.type;
    const size_t merged_before = merged_.size();  // the merged columns of j's items follow
    std::vector<size_t> left, right;
    SQLRITE_ASSIGN_OR_RETURN(join->left, Bind(j.left, next_table, left));
    SQLRITE_ASSIGN_OR_RETURN(join->right, Bind(j.right, next_table, right));
    item.end_table = next_table;

    std::vector<std::string> names = j.using_columns;
    if (j.natural) {
      for (size_t l : left) {
        for (size_t r : right) {
          if (out_.scope[l].name == out_.scope[r].name &&
              std::find(names.begin(), names.end(), out_.scope[l].name) == names.end()) {
            names.push_back(out_.scope[l].name);
          }
        }
      }
    }
    std::vector<BoundExpr> conds;
    std::vector<size_t> merged_cols, used_left, used_right;
    for (size_t u = 0; u < names.size(); ++u) {
      const std::string& name = names[u];
      for (size_t v = 0; v < u; ++v) {
        if (names[v] == name) {
          return Fail(sqlstate::kDuplicateColumn,
                      "column name \"" + name + "\" appears more than once in USING clause");
        }
      }
      SQLRITE_ASSIGN_OR_RETURN(size_t l, FindUsing(left, name, "left"));
      SQLRITE_ASSIGN_OR_RETURN(size_t r, FindUsing(right, name, "right"));
      used_left.push_back(l);
      used_right.push_back(r);
      BoundExpr lv = ValueOf(l), rv = ValueOf(r);
      SQLRITE_ASSIGN_OR_RETURN(SqlType type, CommonType(lv.type, rv.type));
      BoundExpr eq;
      eq.kind = ExprKind::kCompare;
      eq.op = ast::BinaryOp::kEq;
      eq.type = SqlType{TypeId::kBool, -1};
      eq.args.push_back(lv);
      eq.args.push_back(rv);
      conds.push_back(std::move(eq));
      BoundExpr value;
      if (j.type == ast::JoinType::kFull) {
        value.kind = ExprKind::kCoalesce;
        value.type = type;
        value.args.push_back(std::move(lv));
        value.args.push_back(std::move(rv));
      } else {
        value = j.type == ast::JoinType::kRight ? std::move(rv) : std::move(lv);
        value.type = type;
      }
      out_.scope[l].merged_away = true;
      out_.scope[r].merged_away = true;
      merged_cols.push_back(out_.scope.size());
      out_.scope.push_back({"", name, type});
      merged_.push_back(std::move(value));
    }
    visible.insert(visible.end(), merged_cols.begin(), merged_cols.end());
    for (size_t l : left) {
      if (std::find(used_left.begin(), used_left.end(), l) == used_left.end()) visible.push_back(l);
    }
    for (size_t r : right) {
      if (std::find(used_right.begin(), used_right.end(), r) == used_right.end()) {
        visible.push_back(r);
      }
    }
    if (j.on) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr on, BindOn(*j.on, item, merged_before));
      conds.push_back(std::move(on));
    }
    for (BoundExpr& c : conds) {
      if (!join->condition) {
        join->condition = std::move(c);
        continue;
      }
      BoundExpr both;
      both.kind = ExprKind::kAnd;
      both.type = SqlType{TypeId::kBool, -1};
      both.args.push_back(std::move(*join->condition));
      both.args.push_back(std::move(c));
      join->condition = std::move(both);
    }
    item.join = std::move(join);
    return item;
  }

  // Replaces each reference to a merged column in e by its value.
  void Substitute(BoundExpr& e) const {
    if (e.kind == ExprKind::kColumn && static_cast<size_t>(e.index) >= out_.table_columns) {
      const int location = e.location;
      e = merged_[static_cast<size_t>(e.index) - out_.table_columns];
      e.location = location;
      return;
    }
    for (BoundExpr& a : e.args) Substitute(a);
  }

 private:
  BoundExpr ValueOf(size_t col) const {
    if (col < out_.table_columns) return ColumnExpr(col, out_.scope[col].type);
    return merged_[col - out_.table_columns];
  }

  Result<size_t> FindUsing(const std::vector<size_t>& side, const std::string& name,
                           const char* which) const {
    size_t found = 0;
    int count = 0;
    for (size_t c : side) {
      if (out_.scope[c].name == name && !out_.scope[c].merged_away) {
        found = c;
        ++count;
      }
    }
    if (count == 0) {
      return Fail(sqlstate::kUndefinedColumn,
                  "column \"" + name + "\" specified in USING clause does not exist in " + which +
                      " table");
    }
    if (count > 1) {
      return Fail(
          sqlstate::kAmbiguousColumn,
          "common column name \"" + name + "\" appears more than once in " + which + " table");
    }
    return found;
  }

  static Result<SqlType> CommonType(SqlType l, SqlType r) {
    if (l == r) return l;
    if (IsIntegerType(l.id) && IsIntegerType(r.id)) {
      for (TypeId t : {TypeId::kInt8, TypeId::kInt4}) {
        if (l.id == t || r.id == t) return SqlType{t, -1};
      }
      return SqlType{TypeId::kInt2, -1};
    }
    if (IsStringType(l.id) && IsStringType(r.id)) return SqlType{TypeId::kText, -1};
    if (l.id == r.id && l.elem == r.elem && l.enum_oid == r.enum_oid) {
      return SqlType{l.id, -1, l.elem, l.enum_oid};
    }
    return Fail(sqlstate::kDatatypeMismatch, "JOIN/USING types " + TypeDisplayName(l) + " and " +
                                                 TypeDisplayName(r) + " cannot be matched");
  }

  // ON sees only the join's own items (PostgreSQL's namespace for it): their tables' columns
  // and the merged columns of joins inside them, from merged_before on. A name that only a
  // table outside the join has is an error, never an ambiguity with it.
  Result<BoundExpr> BindOn(const ast::Expr& on, const BoundFromItem& item,
                           size_t merged_before) const {
    const size_t begin = out_.tables[item.first_table].first_column;
    const BoundTable& last = out_.tables[item.end_table - 1];
    const size_t end = last.first_column + last.def->columns.size();
    Scope own = out_.scope;
    for (size_t c = 0; c < own.size(); ++c) {
      const bool visible =
          c < out_.table_columns ? c >= begin && c < end : c - out_.table_columns >= merged_before;
      if (visible) continue;
      // Matches neither a qualified reference (no table is "") nor an unqualified one.
      own[c].table.clear();
      own[c].name.clear();
      own[c].merged_away = true;
    }
    Binder binder(own);
    binder.SetOuter(outer_);
    binder.SetSubqueries(subqueries_);
    binder.SetClause("JOIN conditions");
    auto bound = binder.BindCondition(on, "JOIN/ON");
    if (!bound && bound.error().sqlstate == sqlstate::kUndefinedTable) {
      // A qualified name of a table outside the join: the error says whether that table comes
      // before the join in FROM (there but out of reach) or after it (not seen yet).
      Binder wide(out_.scope);
      wide.SetOuter(outer_);
      wide.SetSubqueries(subqueries_);
      wide.SetClause("JOIN conditions");
      if (auto outside = wide.BindCondition(on, "JOIN/ON")) {
        Substitute(*outside);
        SQLRITE_TRY(CheckWithin(*outside, item));
      }
    }
    if (!bound) return Fail(std::move(bound.error()));
    Substitute(*bound);
    return std::move(*bound);
  }

  // 42P01 when cond reads a table outside the join (PostgreSQL's ON sees only the join's items).
  Status CheckWithin(const BoundExpr& cond, const BoundFromItem& item) const {
    if (cond.kind == ExprKind::kColumn) {
      const size_t col = static_cast<size_t>(cond.index);
      const size_t begin = out_.tables[item.first_table].first_column;
      const BoundTable& last = out_.tables[item.end_table - 1];
      const size_t end = last.first_column + last.def->columns.size();
      if (col >= end) {
        // A table later in FROM is not in scope yet, as PostgreSQL sees it.
        return Fail(Error(sqlstate::kUndefinedTable,
                          "missing FROM-clause entry for table \"" + out_.scope[col].table + "\"")
                        .WithPosition(ErrorPosition(cond.location)));
      }
      if (col < begin) {
        return Fail(
            Error(sqlstate::kUndefinedTable, "invalid reference to FROM-clause entry for table \"" +
                                                 out_.scope[col].table + "\"")
                .WithHint("There is an entry for table \"" + out_.scope[col].table +
                          "\", but it cannot be referenced from this part of the query.")
                .WithPosition(ErrorPosition(cond.location)));
      }
    }
    for (const BoundExpr& a : cond.args) SQLRITE_TRY(CheckWithin(a, item));
    return Ok();
  }

  BoundSelect& out_;
  const OuterQuery* outer_;
  SubqueryBinder* subqueries_;
  std::vector<BoundExpr> merged_;  // per merged column (scope index table_columns + i)
};

}  // namespace

Result<BoundItems> BindSelectItems(Binder& binder, const Scope& scope,
                                   const std::vector<ast::SelectItem>& items,
                                   const std::vector<size_t>* star_order) {
  BoundItems out;
  for (const ast::SelectItem& item : items) {
    if (item.star) {
      bool any = false;
      const bool ordered = item.star_table.empty() && star_order != nullptr;
      const size_t n = ordered ? star_order->size() : scope.size();
      for (size_t k = 0; k < n; ++k) {
        const size_t i = ordered ? (*star_order)[k] : k;
        if (!item.star_table.empty() && scope[i].table != item.star_table) continue;
        any = true;
        BoundExpr e;
        e.kind = ExprKind::kColumn;
        e.index = static_cast<int>(i);
        e.type = scope[i].type;
        out.exprs.push_back(std::move(e));
        out.columns.push_back({scope[i].name, scope[i].type.id, scope[i].type.typmod,
                               scope[i].type.elem, scope[i].type.enum_oid});
        out.from_star.push_back(true);
        out.unknown.push_back(false);
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
    out.unknown.push_back(e.type.id == TypeId::kUnknown);
    if (e.type.id == TypeId::kUnknown) {
      NoteParamType(e, SqlType{TypeId::kText, -1});
      e.type = SqlType{TypeId::kText, -1};
    }
    out.columns.push_back({item.alias.empty() ? FigureColumnName(*item.expr) : item.alias,
                           e.type.id, e.type.typmod, e.type.elem, e.type.enum_oid});
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

Result<int64_t> BindRowCount(const ast::Expr& expr, const char* what) {
  return EvalCount(expr, what);
}

namespace {

Result<BoundSelect> BindWithQueries(ExecContext& ctx, const ast::Select& stmt, const BindEnv* env) {
  // A statement run by engine/dml_with.h: its WITH queries are bound (and the data-modifying
  // ones run) already, and a query bound on its own (no env) sees them.
  const BindEnv statement_env{nullptr, ctx.ctes, 0};
  if (env == nullptr && ctx.ctes != nullptr) env = &statement_env;
  if (!stmt.with.empty() && &stmt != ctx.with_bound) {
    // WITH: its queries are in scope for the whole query (set operation branches, subqueries
    // and derived tables included).
    CteScope ctes;
    SQLRITE_TRY(BindWith(ctx, stmt, env, ctes));
    const BindEnv inner{env != nullptr ? env->outer : nullptr, &ctes,
                        env != nullptr ? env->depth : 0};
    return BindQuery(ctx, stmt, &inner);
  }
  return BindQuery(ctx, stmt, env);
}

}  // namespace

Result<BoundSelect> BindSelect(ExecContext& ctx, const ast::Select& stmt, const BindEnv* env) {
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect bound, BindWithQueries(ctx, stmt, env));
  // FOR UPDATE ...: only a statement's own query has it (the transformer refuses it elsewhere).
  if (!stmt.locking.empty()) SQLRITE_TRY(CheckRowLocking(stmt, bound));
  return bound;
}

namespace {

Result<BoundSelect> BindQuery(ExecContext& ctx, const ast::Select& stmt, const BindEnv* env) {
  if (stmt.set_op) return BindSetOperation(ctx, stmt, env);
  if (!stmt.values.empty()) return BindValues(ctx, stmt, env != nullptr ? env->outer : nullptr);
  const OuterQuery* outer = env != nullptr ? env->outer : nullptr;
  QuerySubqueries subqueries(ctx, env != nullptr ? env->ctes : nullptr,
                             env != nullptr ? env->depth : 0);
  // FROM: first every table (their columns begin the scope), then the joins' merged columns
  // and conditions, item by item.
  BoundSelect out;
  Scope& scope = out.scope;
  for (const ast::TableRef& ref : stmt.from) SQLRITE_TRY(CollectTables(ctx, ref, out, env));
  // SELECT srf(...): the call read as a FROM item whose name and column no clause can spell.
  const ast::Expr* srf_call = SelectListSetReturningCall(stmt);
  std::optional<BoundExpr> srf_value;
  if (srf_call != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(BoundFunction fn,
                             BindFunctionCall(*srf_call, " set-returning", {" value"}, false, env));
    BoundTable t;
    t.def = fn.def.get();
    t.qualifier = fn.def->name;
    t.derived = std::move(fn.def);
    t.function = std::move(fn.call);
    scope.push_back({t.qualifier, t.def->columns[0].name, t.def->columns[0].type});
    srf_value = ColumnExpr(0, t.def->columns[0].type);
    out.tables.push_back(std::move(t));
  }
  out.table_columns = scope.size();
  // The planner's table sets hold 64 tables; past that only a plain list is planned.
  if (out.tables.size() > 64 && out.tables.size() != stmt.from.size()) {
    return Fail(sqlstate::kFeatureNotSupported,
                "JOIN in a FROM clause of more than 64 tables is not supported yet");
  }
  FromBinder from(out, outer, &subqueries);
  std::vector<size_t> star_order;
  size_t next_table = 0;
  for (const ast::TableRef& ref : stmt.from) {
    SQLRITE_ASSIGN_OR_RETURN(BoundFromItem item, from.Bind(ref, next_table, star_order));
    out.from.push_back(std::move(item));
  }
  if (srf_value) {
    BoundFromItem item;
    item.end_table = 1;
    out.from.push_back(std::move(item));
  }

  // PostgreSQL's order (transformSelectStmt): the target list, then WHERE, so that of two bad
  // clauses the same one is reported.
  std::vector<AggSpec>& aggs = out.aggs;
  Binder binder(scope);
  binder.SetOuter(outer);
  binder.SetSubqueries(&subqueries);
  binder.AllowAggregates(&aggs);
  if (srf_value) binder.ReplaceCall(srf_call, *srf_value);
  out.windows.named = &stmt.windows;
  SQLRITE_TRY(binder.BindNamedWindows(out.windows));
  binder.AllowWindows(&out.windows);
  // Any other set-returning call of the select list: run by a ProjectSet over each row (of
  // FROM, or the one row of a query without it).
  if (srf_call == nullptr) binder.CollectSetReturning(&out.set_calls);
  SQLRITE_ASSIGN_OR_RETURN(out.items, BindSelectItems(binder, scope, stmt.items, &star_order));
  binder.CollectSetReturning(nullptr);
  BoundItems& items = out.items;

  if (stmt.where != nullptr) {
    Binder where_binder(scope);
    where_binder.SetOuter(outer);
    where_binder.SetSubqueries(&subqueries);
    SQLRITE_ASSIGN_OR_RETURN(out.where, where_binder.BindCondition(*stmt.where, "WHERE"));
  }

  // GROUP BY's expressions, each once, and its grouping sets of them (engine/analyze/
  // grouping_sets.h).
  std::vector<BoundExpr>& group_by = out.group_by;
  auto bind_group_key = [&](const ast::Expr& g) -> Result<size_t> {
    std::optional<BoundExpr> bound;
    if (auto* lit = std::get_if<ast::IntLiteral>(&g.node)) {
      if (lit->value < 1 || lit->value > static_cast<int64_t>(items.exprs.size())) {
        return Fail(
            Error(sqlstate::kInvalidColumnReference,
                  "GROUP BY position " + std::to_string(lit->value) + " is not in select list")
                .WithPosition(ErrorPosition(g.location)));
      }
      bound = items.exprs[static_cast<size_t>(lit->value - 1)];
    } else {
      Binder gb(scope);
      gb.SetOuter(outer);
      gb.SetSubqueries(&subqueries);
      gb.SetClause("GROUP BY");
      auto e = gb.Bind(g);
      if (!e && e.error().sqlstate == sqlstate::kUndefinedColumn) {
        // As in PostgreSQL, a bare name that is no input column may name an output column.
        if (auto* ref = std::get_if<ast::ColumnRef>(&g.node); ref && ref->table.empty()) {
          if (const int i = FindOutputColumn(items, ref->column); i >= 0) {
            e = items.exprs[static_cast<size_t>(i)];
          }
        }
      }
      if (!e) return Fail(std::move(e.error()));
      bound = std::move(*e);
    }
    for (size_t i = 0; i < group_by.size(); ++i) {
      if (SameExpr(group_by[i], *bound)) return i;
    }
    group_by.push_back(std::move(*bound));
    return group_by.size() - 1;
  };
  bool has_grouping_sets = false;
  SQLRITE_ASSIGN_OR_RETURN(
      std::vector<std::vector<size_t>> grouping_sets,
      ExpandGroupBy(stmt.group_by, stmt.group_distinct, bind_group_key, &has_grouping_sets));
  if (!has_grouping_sets) grouping_sets.clear();
  for (const BoundExpr& g : group_by) {
    // An output column named or numbered in GROUP BY may be a window function's, or an
    // aggregate's (grouping by it read an aggregate before any was computed: a crash).
    if (const BoundExpr* w = FindWindowRef(g)) {
      return Fail(Error(sqlstate::kWindowingError, "window functions are not allowed in GROUP BY")
                      .WithPosition(ErrorPosition(w->location)));
    }
    if (const BoundExpr* a = FindAggRef(g)) {
      return Fail(Error(sqlstate::kGroupingError, "aggregate functions are not allowed in GROUP BY")
                      .WithPosition(ErrorPosition(a->location)));
    }
  }

  if (stmt.having) {
    binder.SetClause("HAVING");
    binder.AllowWindows(nullptr);
    SQLRITE_ASSIGN_OR_RETURN(out.having, binder.BindCondition(*stmt.having, "HAVING"));
    binder.AllowWindows(&out.windows);
  }

  // ORDER BY: an ordinal or a bare output-column name sorts by that output column; anything
  // else is evaluated over the input row as a hidden expression.
  std::vector<exec::SortKey>& sort_keys = out.sort_keys;  // output column or hidden expression
  std::vector<BoundExpr>& sort_exprs = out.sort_exprs;
  for (const ast::OrderItem& o : stmt.order_by) {
    exec::SortKey key;
    key.descending = o.descending;
    key.nulls_first = o.nulls_first.value_or(o.descending);
    if (auto* lit = std::get_if<ast::IntLiteral>(&o.expr->node)) {
      if (lit->value < 1 || lit->value > static_cast<int64_t>(items.columns.size())) {
        return Fail(
            Error(sqlstate::kInvalidColumnReference,
                  "ORDER BY position " + std::to_string(lit->value) + " is not in select list")
                .WithPosition(ErrorPosition(o.expr->location)));
      }
      key.column = static_cast<size_t>(lit->value - 1);
      sort_keys.push_back(key);
      continue;
    }
    if (auto* ref = std::get_if<ast::ColumnRef>(&o.expr->node); ref && ref->table.empty()) {
      const int match = FindOutputColumn(items, ref->column);
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

  for (exec::SortKey& k : sort_keys) {
    const size_t outputs = items.exprs.size();
    const TypeId t =
        k.column < outputs ? items.exprs[k.column].type.id : sort_exprs[k.column - outputs].type.id;
    k.jsonb = t == TypeId::kJsonb;
  }

  if (!stmt.distinct_on.empty()) {
    binder.SetClause("DISTINCT ON");
    SQLRITE_TRY(BindDistinctOn(binder, stmt.distinct_on, out));
  }

  if (stmt.limit) {
    SQLRITE_ASSIGN_OR_RETURN(out.limit, EvalCount(*stmt.limit, "LIMIT"));
  }
  out.with_ties = stmt.with_ties;
  if (stmt.offset) {
    SQLRITE_ASSIGN_OR_RETURN(out.offset, EvalCount(*stmt.offset, "OFFSET"));
  }

  // From here on, rows carry only the tables' columns: merged columns become their values.
  // The grouping check compares those values, as PostgreSQL's compares join alias variables
  // flattened to their columns: a.x and GROUP BY x are the same column in an inner join.
  if (out.scope.size() > out.table_columns) {
    for (BoundExpr& e : out.items.exprs) from.Substitute(e);
    if (out.where) from.Substitute(*out.where);
    for (BoundExpr& e : out.group_by) from.Substitute(e);
    for (AggSpec& a : out.aggs) {
      from.Substitute(a.arg);
      if (a.filter) from.Substitute(*a.filter);
      if (a.delimiter) from.Substitute(*a.delimiter);
      for (AggOrderKey& k : a.order_by) from.Substitute(k.expr);
      for (BoundExpr& d : a.direct_args) from.Substitute(d);
    }
    for (WindowCall& c : out.windows.calls) {
      for (BoundExpr& a : c.args) from.Substitute(a);
      from.Substitute(c.agg.arg);
      if (c.agg.filter) from.Substitute(*c.agg.filter);
      if (c.agg.delimiter) from.Substitute(*c.agg.delimiter);
      for (AggOrderKey& k : c.agg.order_by) from.Substitute(k.expr);
    }
    for (WindowSpec& w : out.windows.specs) {
      for (BoundExpr& p : w.partition_by) from.Substitute(p);
      for (WindowOrderKey& k : w.order_by) from.Substitute(k.expr);
    }
    if (out.having) from.Substitute(*out.having);
    for (BoundExpr& e : out.sort_exprs) from.Substitute(e);
    for (BoundExpr& e : out.set_calls) from.Substitute(e);
  }
  out.aggregated =
      !aggs.empty() || !group_by.empty() || stmt.having != nullptr || has_grouping_sets;
  if (srf_call != nullptr && out.aggregated) {
    // PostgreSQL runs the call above the aggregate (its ProjectSet); read as a FROM item here,
    // it would be aggregated over instead.
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "set-returning functions are not supported outside FROM yet")
                    .WithPosition(srf_call->location + 1));
  }
  if (!out.set_calls.empty() && (out.aggregated || !out.windows.calls.empty())) {
    // PostgreSQL's ProjectSet runs above the aggregate and the windows; here it sits under the
    // projection only.
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "set-returning functions beside aggregates or window functions are not "
                      "supported yet")
                    .WithPosition(ErrorPosition(out.set_calls[0].location)));
  }
  out.distinct = stmt.distinct && stmt.distinct_on.empty();
  if (out.aggregated) {
    std::set<int> grouped;
    for (const BoundExpr& g : group_by) {
      if (g.kind == ExprKind::kColumn) grouped.insert(g.index);
    }
    if (!has_grouping_sets) {
      AddFunctionallyDependent(out, grouped);
    } else {
      // Under grouping sets only the columns grouped in every set count for a key (a column of
      // a set without it is NULL there, not the group's value).
      std::set<int> common;
      for (size_t g = 0; g < group_by.size(); ++g) {
        if (group_by[g].kind != ExprKind::kColumn) continue;
        const bool everywhere = std::all_of(
            grouping_sets.begin(), grouping_sets.end(),
            [&](const auto& set) { return std::find(set.begin(), set.end(), g) != set.end(); });
        if (everywhere) common.insert(group_by[g].index);
      }
      AddFunctionallyDependent(out, common);
      grouped.insert(common.begin(), common.end());
    }
    for (const BoundExpr& e : items.exprs) {
      SQLRITE_TRY(CheckGrouped(e, grouped, group_by, scope));
    }
    // An ordered-set aggregate's direct arguments are evaluated once per group.
    for (const AggSpec& a : aggs) {
      for (const BoundExpr& d : a.direct_args) {
        Status grouped_arg = CheckGrouped(d, grouped, group_by, scope);
        if (!grouped_arg) {
          return Fail(std::move(grouped_arg.error())
                          .WithDetail("Direct arguments of an ordered-set aggregate must use "
                                      "only grouped columns."));
        }
      }
    }
    for (const BoundExpr& e : sort_exprs) {
      SQLRITE_TRY(CheckGrouped(e, grouped, group_by, scope));
    }
    if (out.having) SQLRITE_TRY(CheckGrouped(*out.having, grouped, group_by, scope));
    // PostgreSQL checks the windows' expressions with the target list they join.
    for (const WindowCall& c : out.windows.calls) {
      for (const BoundExpr& a : c.args) SQLRITE_TRY(CheckGrouped(a, grouped, group_by, scope));
      if (c.kind == WindowFuncKind::kAggregate && c.agg.kind != AggKind::kCountStar) {
        SQLRITE_TRY(CheckGrouped(c.agg.arg, grouped, group_by, scope));
      }
      if (c.agg.filter) SQLRITE_TRY(CheckGrouped(*c.agg.filter, grouped, group_by, scope));
    }
    for (const WindowSpec& w : out.windows.specs) {
      for (const BoundExpr& p : w.partition_by) {
        SQLRITE_TRY(CheckGrouped(p, grouped, group_by, scope));
      }
      for (const WindowOrderKey& k : w.order_by) {
        SQLRITE_TRY(CheckGrouped(k.expr, grouped, group_by, scope));
      }
    }
    const bool grouping_calls = std::any_of(aggs.begin(), aggs.end(), IsGroupingCallSpec);
    if (has_grouping_sets || grouping_calls) {
      // What is evaluated over the aggregate's rows reads the grouped values from its slots.
      std::vector<BoundExpr*> post;
      for (BoundExpr& e : out.items.exprs) post.push_back(&e);
      for (BoundExpr& e : out.sort_exprs) post.push_back(&e);
      if (out.having) post.push_back(&*out.having);
      for (WindowCall& c : out.windows.calls) {
        for (BoundExpr& a : c.args) post.push_back(&a);
        post.push_back(&c.agg.arg);
        if (c.agg.filter) post.push_back(&*c.agg.filter);
        if (c.agg.delimiter) post.push_back(&*c.agg.delimiter);
        for (AggOrderKey& k : c.agg.order_by) post.push_back(&k.expr);
      }
      for (AggSpec& a : aggs) {
        for (BoundExpr& d : a.direct_args) post.push_back(&d);
      }
      for (WindowSpec& w : out.windows.specs) {
        for (BoundExpr& p : w.partition_by) post.push_back(&p);
        for (WindowOrderKey& k : w.order_by) post.push_back(&k.expr);
      }
      SQLRITE_ASSIGN_OR_RETURN(out.grouping,
                               FinishGroupingSets(group_by, grouping_sets, &aggs, post));
    }
  }
  return out;
}

}  // namespace

}  // namespace sqlrite::engine
