#pragma once
// A function in FROM (PostgreSQL's Function Scan): the rows of a set-returning call
// (functions::Builtin::set_impl: generate_series, unnest), produced as they are pulled, or the
// one row of any other expression's value; with ordinality each row is followed by its number,
// from 1 (bigint). A strict set-returning function with a NULL argument gives no row, as
// PostgreSQL's. The call's arguments are evaluated once, at the first Next (so errors in them,
// and the function's own checks, such as a zero step, come from there).

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// fields: the columns of each value (more than 1: the call gives records of that many fields,
// each row their fields). REQUIRES: call reads no column (its outer references and parameters
// are values already).
OperatorPtr MakeFunctionScan(ReadContext& ctx, BoundExpr call, bool ordinality, size_t fields = 1);

}  // namespace sqlrite::engine::exec
