#pragma once
// ProjectSet: a select list's set-returning calls (SELECT x, generate_series(1, x) FROM t), as
// PostgreSQL 10+'s: per input row every call starts over its arguments evaluated on that row,
// and the calls are stepped in lockstep; each output row is the input row followed by one value
// per call, NULL for a call that has run out while another still gives rows. An input row for
// which every call gives no row (an empty array, a strict call's NULL argument) yields none.

#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// REQUIRES: each call is a kBuiltin of a set-returning function (functions::Builtin::set_impl),
// its arguments over the input row.
OperatorPtr MakeProjectSet(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> calls);

}  // namespace sqlrite::engine::exec
