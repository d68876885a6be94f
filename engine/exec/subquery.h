#pragma once
// A kSubquery node's evaluation for one execution of its plan (engine/expression.h,
// engine/plan/subquery_link.h): runs the subquery's operators and turns their rows into the
// node's value. A correlated subquery (one with outer values) is instantiated again for every
// evaluation, with that row's values in place of its outer references (PostgreSQL's SubPlan);
// an uncorrelated one runs once and its result is kept for the execution (an InitPlan; for
// ANY / ALL its values are kept and compared again for each left operand).
//
// Semantics, as PostgreSQL's: a scalar subquery is NULL without a row and 21000 with more than
// one; EXISTS reads at most one row; ANY is true when some comparison is true, else NULL when
// some was NULL, else false (false for no row); ALL is false when some comparison is false, else
// NULL when some was NULL, else true (true for no row). Loops over kept values poll the
// statement's interrupts.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// Builds the subquery's operators with `outer` as its outer values.
using SubqueryFactory = std::function<OperatorPtr(const std::vector<Datum>& outer)>;

// combine: kAny / kAll / kRowCompare's comparison over the row [left operand, subquery value],
// or with row_width > 1 [left values..., the subquery row's first row_width values...].
// REQUIRES: ctx outlives the returned object and everything it builds.
std::shared_ptr<SubqueryRun> MakeSubqueryRun(ReadContext& ctx, SubqueryKind kind,
                                             std::optional<BoundExpr> combine, size_t outer_count,
                                             size_t row_width, SubqueryFactory factory);

}  // namespace sqlrite::engine::exec
