#pragma once
// WindowAgg: the window functions of one window specification. Its input arrives sorted by the
// specification's PARTITION BY and ORDER BY keys (the planner puts a Sort below it when
// needed). It works a partition at a time: reads the partition's rows into a RowStore (one row
// of the next partition read ahead; past work_mem the store writes them to a temporary file,
// row_store.h), then hands the rows out, each followed by one value per call, computed as the
// row goes out from positions that only move forward (nothing is kept per row, so a partition of
// any size costs about work_mem).
//
// Frames (ROWS / RANGE / GROUPS, offsets, EXCLUDE) follow nodeWindowAgg.c: peers are rows
// equal on every ORDER BY key (all rows without ORDER BY); RANGE offsets compare keys through
// the spec's in_range conditions, a NULL key's frame being its NULL peers. Cost per partition
// of n rows: ranking functions, lag/lead and aggregates over frames that start at the
// partition's start (the default frame, running totals, the whole partition) O(n); other
// frames recompute each row's aggregate over its frame (O(n * frame)); RANGE offset bounds
// and GROUPS offset bounds advance with the current row (O(n) tests per partition). The
// interrupt flag is polled per row read and produced and per 256 rows an aggregate or a peer
// search reads.
//
// Errors, as PostgreSQL raises them while running: 22004 for a NULL frame offset, 22013 for a
// negative one, 22014 for ntile's count and 22016 for nth_value's n when not positive; and the
// temporary file's (53400 past temp_file_limit, 53100, 58030).

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
