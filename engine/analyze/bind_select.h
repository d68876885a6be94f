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
#include "engine/exec/sort.h"
#include "engine/expression.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

struct ExecContext;

// The most entries a select or RETURNING list may have (PostgreSQL's MaxTupleAttributeNumber).
inline constexpr size_t kMaxTargetListEntries = 1664;

// A select list bound over scope: stars expanded, names and types as PostgreSQL reports them.
// Errors: the items' own, then 54011 when there are more than kMaxTargetListEntries.
struct BoundItems {
  std::vector<BoundExpr> exprs;
  std::vector<ColumnInfo> columns;
  std::vector<bool> from_star;  // per output column: expanded from * (has no name to refer to)
};
// star_order: the scope columns an unqualified * expands to, in order (null: every column of
// the scope, in scope order).
Result<BoundItems> BindSelectItems(Binder& binder, const Scope& scope,
                                   const std::vector<ast::SelectItem>& items,
                                   const std::vector<size_t>* star_order = nullptr);

// One FROM table: its definition (the catalog's, which outlives the statement) and the
// columns it contributes to the scope, [first_column, first_column + def->columns.size()).
struct BoundTable {
  const TableDef* def = nullptr;
  std::string qualifier;  // alias, else the table's name
  size_t first_column = 0;
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

struct BoundSelect {
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
  std::optional<BoundExpr> having;  // over the scope and the aggregates
  bool aggregated = false;          // aggregates, GROUP BY or HAVING
  bool distinct = false;
  // ORDER BY: keys over the projected row, which is the select list followed by sort_exprs.
  std::vector<exec::SortKey> sort_keys;
  std::vector<BoundExpr> sort_exprs;
  int64_t offset = 0;                                   // in [0, INT64_MAX]
  int64_t limit = std::numeric_limits<int64_t>::max();  // INT64_MAX: none
};

// Binds stmt against ctx's catalog (the snapshot's when ctx reads one).
Result<BoundSelect> BindSelect(ExecContext& ctx, const ast::Select& stmt);

}  // namespace sqlrite::engine
