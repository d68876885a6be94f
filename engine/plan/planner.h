#pragma once
// The planner: a bound SELECT (engine/analyze/bind_select.h) in, its physical plan (plan.h)
// out. Rule-based but for the join order, which follows estimated rows (estimate.h):
//
// - FROM: WHERE is split into its AND-ed conjuncts. A conjunct over one table goes to that
//   table's scan (whose reader may then take a point lookup or a rowid range); one over no
//   table to the first scan. FROM's items (INNER / CROSS JOINs flattened into them, their ON
//   conjuncts with WHERE's) are joined left-deep in the order of least estimated work
//   (join_order.h), the first pair the smaller item first; FROM order when an item is LATERAL.
//   Each join takes every not yet placed conjunct its two sides cover: equalities between a
//   left-only and a right-only expression of hashable types become hash keys (Hash Join, the
//   side estimated smaller on the build side), the others its residual (a Nested Loop when
//   there is no key; no conjunct at all: a cross join). When the join order is not FROM order,
//   a Project restores the scope's column order for the clauses above.
//   A join (INNER or LEFT) whose left input is a scan returning few rows by its filter's shape
//   (a unique point, a short span of the INTEGER PRIMARY KEY) and whose right input is a table
//   with an index on an equality's column is an index nested loop instead: a LateralJoin probing
//   that index per left row. WHERE conjuncts EXISTS / NOT EXISTS / IN over one table correlated by
//   equalities are Hash Semi / Anti Joins of the FROM's plan with that table (never NOT IN),
//   with a probe of the table's index for a small left input when one key has an index.
// - Each scan's access path: a point lookup, else the index path IndexPathFor picks
//   (engine/index_path.h: = / IN / IS NULL on an index's leading columns, or a range bounded on
//   both sides), else a rowid range, else the whole table.
// - Then Aggregate (+ HAVING's Filter), the window functions' WindowAggs, Project (select list +
// hidden ORDER BY values),
//   Distinct, Sort, Limit, as BuildSelect always stacked them. An ORDER BY ... LIMIT over one
//   table whose keys are ascending plain columns the scan already reads in order (the rowid, or
//   a prefix of the index it reads or can read) gets no Sort.

#include <string>
#include <vector>

#include "engine/analyze/bind_select.h"
#include "engine/plan/plan.h"

namespace sqlrite::engine::plan {

// Consumes bound. Errors: 0A000 for a FULL join without a hashable equality (as PostgreSQL).
Result<Plan> PlanSelect(BoundSelect bound);

// PlanSelect of a set operation (bound.set_op set; plan_set_op.cc): UNION as an Append of its
// (flattened) branches under a Distinct unless ALL, INTERSECT / EXCEPT as a SetOp, then Sort and
// Limit over the whole.
Result<Plan> PlanSetOperation(BoundSelect bound);
// PlanSelect of a VALUES list (bound.values non-empty; plan_set_op.cc): an Append of one-row
// Projects, then Sort and Limit.
Result<Plan> PlanValues(BoundSelect bound);

// WITH RECURSIVE's query (engine/analyze/bind_cte.h; plan_set_op.cc): left (the non-recursive
// term) UNION [ALL] right (the recursive term, its rows converted to the left's types by
// right_convert when that is not empty), right's WorkTableScans of `worktable` reading the
// previous iteration's rows.
Result<NodePtr> PlanRecursiveUnion(std::string name, bool all, int worktable,
                                   std::vector<TypeId> key_types, BoundSelect left,
                                   BoundSelect right, std::vector<BoundExpr> right_convert);

// The active windows of b (indexes into b.windows.specs) in the order their WindowAggs are
// stacked, bottom first (plan_window.cc).
std::vector<size_t> WindowPlanOrder(const BoundSelect& b);
// Stacks b's WindowAggs (and the Sorts they need) over node, whose rows have column_types
// (aggregates from agg_offset on); consumes b.windows. call_column[i]: the column holding
// window call i's value; sorted_by: the order the rows leave the last WindowAgg in.
NodePtr PlanWindows(BoundSelect& b, NodePtr node, std::vector<SqlType> column_types,
                    size_t agg_offset, std::vector<int>& call_column,
                    std::vector<WindowOrderKey>& sorted_by);
// Turns each kSetRef of e into a reference to its call's column, the ProjectSet's base + index.
void ReplaceSetRefs(BoundExpr& e, size_t base);
// Turns each kWindowRef of e into a reference to its call's column.
void ReplaceWindowRefs(BoundExpr& e, const std::vector<int>& call_column);

// The type both sides of `l = r` are encoded as in a hash join's key, when a hash join may
// evaluate it (equal values encode equal): integers of any width as int8, text/varchar as text,
// bool and numeric as themselves. nullopt: not hashable (floats: -0 = 0; others: never tried).
std::optional<TypeId> HashKeyType(TypeId l, TypeId r);

// Whether e, or any plan node under node, calls a volatile function (random(), nextval(),
// gen_random_uuid(), clock_timestamp(): PostgreSQL's contain_volatile_functions), subqueries
// and WITH queries included.
bool ContainsVolatile(const BoundExpr& e);
bool ContainsVolatile(const Node& node);

// Rewrites every column reference of e (kColumn index i) to position[i]. REQUIRES: position[i]
// >= 0 for every column e references.
void RemapColumns(BoundExpr& e, const std::vector<int>& position);

}  // namespace sqlrite::engine::plan
