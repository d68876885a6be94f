#pragma once
// WindowAgg: the window functions of one window specification. Its input arrives sorted by the
// specification's PARTITION BY and ORDER BY keys (the planner puts a Sort below it when
// needed). It works a partition at a time: reads the partition's rows into memory (one row of
// the next partition read ahead), computes every call's value for each of them, then hands the
// rows out, each followed by one value per call.
//
// Frames (ROWS / RANGE / GROUPS, offsets, EXCLUDE) follow nodeWindowAgg.c: peers are rows
// equal on every ORDER BY key (all rows without ORDER BY); RANGE offsets compare keys through
// the spec's in_range conditions, a NULL key's frame being its NULL peers. Cost per partition
// of n rows: ranking functions, lag/lead and aggregates over frames that start at the
// partition's start (the default frame, running totals, the whole partition) O(n); other
// frames recompute each row's aggregate over its frame (O(n * frame)); RANGE offset bounds
// advance with the current row (O(n) in_range tests per partition). The interrupt flag is polled
// per row produced and per 256 rows an aggregate reads.
//
// Errors, as PostgreSQL raises them while running: 22004 for a NULL frame offset, 22013 for a
// negative one, 22014 for ntile's count and 22016 for nth_value's n when not positive.

#include <cstddef>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// agg_offset as for MakeFilter: the expressions of spec and calls read aggregate values from
// there (kNoAggregates: none).
OperatorPtr MakeWindowAgg(ReadContext& ctx, OperatorPtr input, WindowSpec spec,
                          std::vector<WindowCall> calls, size_t agg_offset);

}  // namespace sqlrite::engine::exec
