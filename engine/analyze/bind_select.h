#pragma once
// Analysis of a SELECT: the FROM tables resolved in the catalog, every clause bound over their
// columns (engine/expression.h), the checks PostgreSQL's parse analysis makes (grouping 42803,
// ordinals 42P10, LIMIT/OFFSET 2201W), in PostgreSQL's order so that of two bad clauses the same
// one is reported. The result, BoundSelect, is what the planner (engine/plan/) turns into a plan;
// it holds no operator and reads no row.

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/engine.h"
#include "engine/exec/grouping_sets.h"
#include "engine/exec/sort.h"
#include "engine/expression.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

struct ExecContext;
namespace plan {
struct Node;
struct CteShare;
}  // namespace plan

// The WITH queries a query may name in FROM (engine/analyze/bind_cte.h).
struct CteScope;

// What binding a query sees beyond its own FROM: the query it is a subquery of (outer
// references, engine/expression.h) and the WITH queries in scope. Derived tables of the query
// see the same.
struct BindEnv {
  const OuterQuery* outer = nullptr;
  const CteScope* ctes = nullptr;
  int depth = 0;  // subqueries around this query (bounded: binding recurses per level)
};

// The most entries a select or RETURNING list may have (PostgreSQL's MaxTupleAttributeNumber).
inline constexpr size_t kMaxTargetListEntries = 1664;

// A select list bound over scope: stars expanded, names and types as PostgreSQL reports them.
// Errors: the items' own, then 54011 when there are more than kMaxTargetListEntries.
struct BoundItems {
  std::vector<BoundExpr> exprs;
  std::vector<ColumnInfo> columns;
  std::vector<bool> from_star;  // per output column: expanded from * (has no name to refer to)
  // Per output column: an untyped literal ('a', NULL) taken as text. A set operation's branch
  // resolves it to the type of the other branches instead (PostgreSQL's unknown literals).
  std::vector<bool> unknown;
};
// star_order: the scope columns an unqualified * expands to, in order (null: every column of
// the scope, in scope order).
Result<BoundItems> BindSelectItems(Binder& binder, const Scope& scope,
                                   const std::vector<ast::SelectItem>& items,
                                   const std::vector<size_t>* star_order = nullptr);

// One FROM table: its definition (the catalog's, which outlives the statement) and the
// columns it contributes to the scope, [first_column, first_column + def->columns.size()).
struct BoundSelect;
struct BoundTable {
  const TableDef* def = nullptr;
  std::string qualifier;  // alias, else the table's name
  size_t first_column = 0;
  // A derived table ((SELECT ...) AS s, (VALUES ...) AS v): its bound query, planned where the
  // table's scan would be (the planner consumes it), and the definition naming its columns,
  // which def points to.
  std::shared_ptr<BoundSelect> subquery;
  std::shared_ptr<const TableDef> derived;
  // A WITH query's reference: the query's plan, shared by every reference (each runs it), or,
  // inside a recursive query's recursive term, the work table it reads (worktable >= 0).
  std::shared_ptr<const plan::Node> cte_plan;
  int worktable = -1;
  std::shared_ptr<const plan::CteShare> cte_share;  // with cte_plan: whether references share a run
  // A function in FROM (engine/analyze/bind_function.h): its call, over no column of this
  // query; derived names its columns (the call's value, then WITH ORDINALITY's counter).
  std::shared_ptr<const BoundExpr> function;
  // A derived table or function that reads FROM items before it (LATERAL): the values it reads,
  // over this query's scope (kOuterRef i inside its query or call is lateral[i]); the planner
  // joins it to those items by a LateralJoin. Empty: it reads none.
  std::vector<BoundExpr> lateral;
};

// A FROM item: a table (an index into BoundSelect::tables) or a join of two items. The tables of
// an item are consecutive in BoundSelect::tables, so its columns are a range of the scope.
struct BoundJoin;
struct BoundFromItem {
  size_t table = 0;  // when join is null
  std::unique_ptr<BoundJoin> join;
  size_t first_table = 0, end_table = 0;  // the item's tables: [first_table, end_table)
};
struct BoundJoin {
  ast::JoinType type = ast::JoinType::kInner;  // kCross: kInner without a condition
  BoundFromItem left;
  BoundFromItem right;
  std::optional<BoundExpr> condition;  // ON, or USING's equalities; over the tables' columns
};

// left UNION / INTERSECT / EXCEPT [ALL] right (engine/analyze/bind_set_op.h).
struct BoundSetOp {
  ast::SetOpKind kind = ast::SetOpKind::kUnion;
  bool all = false;
  std::unique_ptr<BoundSelect> left, right;
  // Per branch: expressions over the branch's output row giving the result's columns (a cast
  // where the branch's type is not the result's); empty when the branch's row already is it.
  std::vector<BoundExpr> left_convert, right_convert;
};

struct BoundSelect {
  // Set: this query is a set operation; tables .. having are unused, items.columns are its
  // result's columns (items.exprs empty), sort_keys order those columns.
  std::unique_ptr<BoundSetOp> set_op;
  // Non-empty: this query is a VALUES list (engine/analyze/bind_values.h), one row of
  // expressions (over no columns, of the result's column types) per row; tables .. having are
  // unused, as for set_op.
  std::vector<std::vector<BoundExpr>> values;
  std::vector<BoundTable> tables;   // FROM order (depth first); their columns begin the scope
  std::vector<BoundFromItem> from;  // the comma-separated items
  // The scope: the tables' columns, then one column per USING/NATURAL merged column. Once bound,
  // no expression refers to a merged column (each such reference is replaced by the merged
  // value, an expression over the tables' columns), so rows carry only the tables' columns.
  Scope scope;
  size_t table_columns = 0;
  BoundItems items;
  std::optional<BoundExpr> where;  // over the scope
  std::vector<BoundExpr> group_by;
  std::vector<AggSpec> aggs;
  // GROUP BY's grouping sets (and GROUPING() calls): active when the query has any; then the
  // grouped expressions outside aggregates read aggregate slots (engine/analyze/grouping_sets.h).
  exec::GroupingSets grouping;
  std::optional<BoundExpr> having;  // over the scope and the aggregates
  bool aggregated = false;          // aggregates, GROUP BY or HAVING
  // Window function calls (kWindowRef nodes of the select list and ORDER BY) and their
  // windows; their expressions are over the scope and the aggregates, as HAVING's.
  WindowScope windows;
  // The select list's set-returning calls (kSetRef nodes of items.exprs name them): the
  // ProjectSet the planner puts under the projection runs them in lockstep over each row.
  std::vector<BoundExpr> set_calls;
  bool distinct = false;
  // ORDER BY: keys over the projected row, which is the select list followed by sort_exprs.
  std::vector<exec::SortKey> sort_keys;
  std::vector<BoundExpr> sort_exprs;
  // DISTINCT ON: the projected row's columns whose values group rows (NULLs equal); the first
  // row of each group in sort_keys' order is kept. sort_keys then hold every one of them, before
  // any other key. Empty: no DISTINCT ON (distinct is false then).
  std::vector<size_t> distinct_on;
  int64_t offset = 0;                                   // in [0, INT64_MAX]
  int64_t limit = std::numeric_limits<int64_t>::max();  // INT64_MAX: none
  // FETCH FIRST ... WITH TIES: the rows equal to the last one on every sort key come too.
  bool with_ties = false;
};

// Binds stmt against ctx's catalog (the snapshot's when ctx reads one); env: null for a
// statement's own query.
Result<BoundSelect> BindSelect(ExecContext& ctx, const ast::Select& stmt,
                               const BindEnv* env = nullptr);

// The value of a LIMIT or OFFSET expression (what: "LIMIT" / "OFFSET"): INT64_MAX for NULL;
// 2201W when negative, 42804 when not a number.
Result<int64_t> BindRowCount(const ast::Expr& expr, const char* what);

}  // namespace sqlrite::engine
