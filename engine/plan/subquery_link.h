#pragma once
// A subquery of an expression once bound and planned (engine/analyze/bind_subquery.h): what a
// kSubquery node (engine/expression.h) runs. Immutable once built; every copy of the node
// shares it, so a plan holding subqueries is instantiated like any other, on any thread.
//
// Values: the node's args are the values the subquery reads from the enclosing query's row,
// [0, outer_count), over that row (kOuterRef i inside the plan reads args[i]); for kAny / kAll
// args[outer_count] is the left operand (the row_width values of a left row). A subquery with no
// outer value is uncorrelated: it runs once per execution of the enclosing plan and its result is
// kept (PostgreSQL's InitPlan); otherwise it runs again for every row that evaluates it (a
// SubPlan).

#include <cstddef>
#include <optional>

#include "engine/expression.h"
#include "engine/plan/plan.h"

namespace sqlrite::engine {

struct SubqueryLink {
  SubqueryKind kind = SubqueryKind::kScalar;
  ast::BinaryOp op = ast::BinaryOp::kEq;  // kAny / kAll, for EXPLAIN
  // kAny / kAll: the comparison over the row [left operand, the subquery row's first value].
  // kAny / kAll / kRowCompare with a row on the left ((a, b) IN (SELECT x, y ...)): the row's
  // width; combine is then over [left values..., the subquery row's first row_width values].
  std::optional<BoundExpr> combine;
  size_t outer_count = 0;
  size_t row_width = 1;
  plan::Plan plan;
};

}  // namespace sqlrite::engine
