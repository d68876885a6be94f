#pragma once
// The rows of the input for which a condition is true (WHERE over a join; HAVING over groups).

#include <cstddef>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// Sentinel for "the rows carry no aggregate values".
inline constexpr size_t kNoAggregates = static_cast<size_t>(-1);

// condition is evaluated over each input row; when agg_offset != kNoAggregates the row's values
// from agg_offset on are the aggregate values its kAggRef nodes read (an Aggregate's output).
OperatorPtr MakeFilter(ReadContext& ctx, OperatorPtr input, BoundExpr condition,
                       size_t agg_offset = kNoAggregates);

// The EvalContext for row under that convention.
inline EvalContext RowContext(const Row& row, size_t agg_offset) {
  return EvalContext{row.data(), agg_offset == kNoAggregates ? nullptr : row.data() + agg_offset};
}

}  // namespace sqlrite::engine::exec
