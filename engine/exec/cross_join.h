#pragma once
// The cross join of two inputs: every outer row followed by every inner row, outer-major (so
// a left-deep chain over t1, t2, t3 gives the odometer order with t3 varying fastest, as the
// executor always did). The inner input is read in full first and held (a nested loop over a
// materialized inner, PostgreSQL's Nested Loop over a Material); when it is empty the outer is
// never read. The outer streams. Polls ctx's interrupts per row produced: the product of small
// inputs is where a runaway query spins.

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"

namespace sqlrite::engine::exec {

OperatorPtr MakeCrossJoin(ReadContext& ctx, OperatorPtr outer, OperatorPtr inner);

}  // namespace sqlrite::engine::exec
