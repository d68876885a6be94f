#pragma once
// Projection: each output row is the list of expressions evaluated over an input row (the
// select list, followed by any hidden ORDER BY expressions the Sort above strips).

#include <cstddef>
#include <vector>

#include "engine/exec/filter.h"
#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// agg_offset as for MakeFilter. single_row: the input yields exactly one row (a FROM-less,
// ungrouped SELECT), so constants are moved into it instead of copied (a SELECT of a 50 MB
// literal then holds it once less).
OperatorPtr MakeProject(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> exprs,
                        size_t agg_offset = kNoAggregates, bool single_row = false);

}  // namespace sqlrite::engine::exec
