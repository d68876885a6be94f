#pragma once
// The physical plan of a SELECT: an immutable tree of plan nodes built once from the bound
// statement (engine/analyze/bind_select.h) by PlanSelect (planner.h), instantiated into
// operators (engine/exec/) for each execution by Instantiate (instantiate.h). A plan holds no
// page, cursor or row: only catalog entries (TableDefs, which outlive the statement), bound
// expressions and figures, so one plan may be instantiated many times, on any thread, each
// instance over its own ReadContext.
//
// Row layout: a node's output row is `width` values. A scan's are its table's columns; a join's
// are its left input's followed by its right input's (an outer join pads the missing side with
// NULLs); Aggregate's are its input's first row of the group followed by one value per
// aggregate; WindowAgg's its input's followed by one value per window call, ProjectSet's its
// input's followed by one value per call; Project's are its expressions. Every expression of a node
// is bound over its input's layout (a join's condition over the joined row).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/catalog.h"
#include "engine/exec/grouping_sets.h"
#include "engine/exec/sort.h"
#include "engine/expression.h"
#include "engine/index_path.h"
#include "engine/types.h"

namespace sqlrite::engine::plan {

struct Node;

// kSemi / kAnti (HashJoin only): the left row alone, when some right row matches it / none
// does; the node's width is its left input's.
enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kSemi, kAnti };

// How a scan reads its table: decided by TableReader from the scan's filter (table_access.h)
// and, for kIndex, the index path the planner chose (IndexPathFor); recorded here for EXPLAIN.
enum class AccessPath : uint8_t { kFull, kPoint, kRowidRange, kIndex };

struct Scan {
  const TableDef* table = nullptr;
  std::string alias;                // empty: none
  std::optional<BoundExpr> filter;  // over the table's columns: the conjuncts pushed down to it
  AccessPath path = AccessPath::kFull;
  std::optional<IndexPath> index;  // kIndex: the path through one of table's index trees
  // The plan relies on the scan's order (rowid order, or the index's for kIndex): an ORDER BY
  // ... LIMIT whose Sort was left out.
  bool ordered = false;
  // With ordered: the rows are read in descending key order (ORDER BY ... DESC LIMIT;
  // PostgreSQL's Index Scan Backward).
  bool backward = false;
  // Per table column: whether a node above reads it (engine/plan/needed_columns.h); the others
  // are not decoded and read as NULL. Empty: every column.
  std::vector<bool> needed;
  // A system relation's definition (engine/catalog/system_relation.h), which `table` points
  // to: made for the statement, so the plan owns it.
  std::shared_ptr<const TableDef> system;
};
// One row of no columns (a SELECT without FROM).
struct OneRow {};
struct Filter {
  BoundExpr condition;
  size_t agg_offset = static_cast<size_t>(-1);  // as exec::MakeFilter's
};
// Every pair of rows (left-major) for which condition holds (none: every pair); outer variants
// add the unmatched rows of the preserved side(s), NULL-padded. The right input is materialized.
struct NestedLoop {
  JoinType type = JoinType::kInner;
  std::optional<BoundExpr> condition;  // over the joined row
};
// A LATERAL item joined to the rows before it (engine/exec/lateral_join.h): for each row of its
// one child (the left input), `right` is instantiated with `values` (over the left row) as its
// outer values (the kOuterRefs of the item's plan) and its rows joined to that left row; INNER
// or LEFT (a left row no right row matched, NULL-padded). The right plan is shared, as a
// recursive term's, so that an instantiation that outlives this plan can build it again.
struct LateralJoin {
  JoinType type = JoinType::kInner;
  std::vector<BoundExpr> values;       // over the left row
  std::optional<BoundExpr> condition;  // over the joined row
  std::shared_ptr<const Node> right;
};
// An equi-join: left_keys[i] (over the left row) = right_keys[i] (over the right row) for every
// i, NULL never equal, plus the residual condition (over the joined row). The right input is
// the hashed (build) side; the left streams.
struct HashJoin {
  JoinType type = JoinType::kInner;
  std::vector<BoundExpr> left_keys;
  std::vector<BoundExpr> right_keys;
  std::vector<TypeId> key_types;  // the type both sides' values of key i are encoded as
  std::optional<BoundExpr> residual;
  // kSemi / kAnti with one key and no residual: the right table's scan with its key pinned to
  // outer value 0, probed per left row instead when the left input holds at most kProbeRows
  // rows (engine/exec/semi_probe.h). Null: always hashed.
  std::shared_ptr<const Node> probe;
  static constexpr size_t kProbeRows = 4096;
};
struct Aggregate {
  std::vector<BoundExpr> group_by;
  std::vector<AggSpec> aggs;
  exec::GroupingSets grouping;  // GROUP BY's grouping sets; inactive for a plain GROUP BY
};
struct Project {
  std::vector<BoundExpr> exprs;
  size_t agg_offset = static_cast<size_t>(-1);
  bool single_row = false;  // as exec::MakeProject's
};
struct Distinct {
  std::vector<TypeId> key_types;  // the leading columns compared
};
// DISTINCT ON over input sorted so that rows equal on the key columns are adjacent: the first
// row of each run of such rows (NULLs equal), streamed (PostgreSQL's Unique).
struct Unique {
  std::vector<size_t> key_columns;
  std::vector<TypeId> key_types;  // per key column
};
struct Sort {
  std::vector<exec::SortKey> keys;
  size_t keep_width = 0;
  // The leading keys the input is already sorted by (EXPLAIN shows an Incremental Sort, as
  // PostgreSQL's planner would choose one; the sort itself is the same stable sort).
  size_t presorted = 0;
};
// Window functions of one window specification over input sorted by its PARTITION BY and
// ORDER BY (engine/exec/window.h): the input row followed by one value per call. The spec's and
// calls' expressions are over the input row, reading aggregates from agg_offset on.
struct WindowAgg {
  WindowSpec spec;
  std::vector<WindowCall> calls;
  size_t agg_offset = static_cast<size_t>(-1);
};
struct Limit {
  int64_t offset = 0;
  int64_t limit = 0;
  // WITH TIES: the columns of the sort keys its input is ordered by (and their types); the rows
  // after the limit's last that equal it on them come too. Empty: no WITH TIES.
  std::vector<size_t> tie_columns;
  std::vector<TypeId> tie_types;
};
// A derived table: its one child's rows (the subquery's plan), under the table's alias.
struct SubqueryScan {
  std::string alias;
  std::vector<std::string> columns;  // the derived table's column names, for EXPLAIN
};
// A function in FROM (engine/exec/function_scan.h): the rows of a set-returning call, or the one
// value of any other expression, followed with ordinality by each row's number from 1.
struct FunctionScan {
  BoundExpr call;  // over no columns (outer references and parameters become values)
  bool ordinality = false;
  std::string function;              // the function's name, for EXPLAIN
  std::string alias;                 // empty: none
  std::vector<std::string> columns;  // for EXPLAIN
};
// A select list's set-returning calls (engine/exec/project_set.h): per input row, the calls'
// rows in lockstep, each output row the input row followed by one value per call (NULL once a
// call has run out), as many rows as the longest call gives.
struct ProjectSet {
  std::vector<BoundExpr> calls;  // over the input row
};
// Its children's rows, one child after the other (UNION ALL; under a Distinct, UNION).
struct Append {};
// INTERSECT / EXCEPT [ALL] of its two children, rows compared on every column (NULLs equal),
// hashed: the right child's rows are counted, then the left's streamed against the counts.
enum class SetOpKind : uint8_t { kIntersect, kExcept };
struct SetOp {
  SetOpKind kind = SetOpKind::kIntersect;
  bool all = false;
  std::vector<TypeId> key_types;  // per column
};

// Whether the references of one WITH query share one run of it, as PostgreSQL decides whether to
// materialize it rather than inline it: always when it is recursive, holds a volatile function
// or is written MATERIALIZED; never when written NOT MATERIALIZED (unless recursive or
// volatile); else when it is referenced more than once. The binder counts the references while
// it binds the statement; nothing changes it once the statement is planned.
struct CteShare {
  bool always = false;
  bool never = false;
  int references = 0;
  int depth = 0;  // the subquery level of the query the WITH belongs to (BindEnv::depth)
  bool Materialized() const { return always || (!never && references > 1); }
};
// A reference to a WITH query (engine/analyze/bind_cte.h): its rows are those of the query's
// plan, shared by every reference. Materialized (share): every reference of one execution reads
// one run, kept as it is produced (exec/cte_buffer.h); otherwise each reference runs the plan.
struct CteScan {
  std::string name;   // the WITH query's
  std::string alias;  // empty: none
  std::shared_ptr<const Node> plan;
  std::shared_ptr<const CteShare> share;
  std::vector<std::string> columns;  // for EXPLAIN
};
// In a recursive query's recursive term: the rows the previous iteration produced.
struct WorkTableScan {
  std::string name;
  std::string alias;
  int worktable = -1;                // the RecursiveUnion whose rows it reads
  std::vector<std::string> columns;  // for EXPLAIN
  // Set: rows fixed before the statement's query runs (a data-modifying WITH query's RETURNING
  // rows, a table as it was before them: engine/dml_with.h), read instead of a work table.
  std::shared_ptr<const std::vector<Row>> rows;
};
// WITH RECURSIVE's UNION [ALL]: its child's rows (the non-recursive term), then `recursive` run
// over each iteration's new rows (its WorkTableScans read them) until an iteration yields none.
// Without ALL, a row equal to one seen before (NULLs equal) is dropped and not iterated on.
struct RecursiveUnion {
  std::string name;
  bool all = false;
  std::vector<TypeId> key_types;  // per column
  int worktable = -1;
  std::shared_ptr<const Node> recursive;
};

struct Node {
  std::variant<Scan, OneRow, Filter, NestedLoop, HashJoin, Aggregate, Project, Distinct, Unique,
               Sort, Limit, Append, SetOp, SubqueryScan, CteScan, WorkTableScan, RecursiveUnion,
               WindowAgg, FunctionScan, ProjectSet, LateralJoin>
      op;
  // joins and SetOp: left, right; Append: two or more; leaves: none
  std::vector<std::unique_ptr<Node>> children;
  size_t width = 0;  // values per output row
};
// Nodes are not modified once planned, except by InstantiateOnce, which consumes the plan.
using NodePtr = std::unique_ptr<Node>;

// A node of op, width values per row, with children a and b when given: the planner's and the
// set operations' planning (plan_set_op.cc) build their nodes with it.
inline NodePtr MakeNode(decltype(Node::op) op, size_t width, NodePtr a = nullptr,
                        NodePtr b = nullptr) {
  auto n = std::make_unique<Node>();
  n->op = std::move(op);
  n->width = width;
  if (a) n->children.push_back(std::move(a));
  if (b) n->children.push_back(std::move(b));
  return n;
}

// A planned SELECT.
struct Plan {
  NodePtr root;
  std::vector<ColumnInfo> columns;  // the result's columns
};

}  // namespace sqlrite::engine::plan
