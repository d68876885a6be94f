#pragma once
// ORDER BY: reads its whole input on the first call, sorts it stably (ties keep input order, as
// the executor always did) with InterruptibleStableSort (a cancel, statement_timeout or shutdown
// stops a sort of millions of rows), then hands the rows out cut to their first keep_width
// values (the hidden ORDER BY expressions the Project below appended are dropped).
//
// Memory, as PostgreSQL's tuplesort.c:
// - bounded (ORDER BY ... LIMIT k, bound = offset + k): a heap of the bound best rows so far,
//   never more, never a file (a top-k sort);
// - otherwise rows are kept until they pass ctx.spill.work_mem (RowMemory); then each such batch
//   is sorted and written as a run to a temporary file (spill_file.h), and the runs are merged
//   with a heap, in passes of at most max(6, work_mem / 32 kB) runs, the last pass feeding the
//   output. Ties between runs go to the earlier run, so the result is the in-memory sort's.
// Without a place to spill (ctx.spill.space null) everything stays in memory.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"

namespace sqlrite::engine::exec {

struct SortKey {
  size_t column = 0;  // in the input row
  bool descending = false;
  bool nulls_first = false;
  // The column is jsonb: compared in jsonb's order (json::Compare), not its text's.
  bool jsonb = false;
};

inline constexpr uint64_t kNoSortBound = std::numeric_limits<uint64_t>::max();

// bound: at most that many rows are wanted (the rows after them are never asked for).
OperatorPtr MakeSort(ReadContext& ctx, OperatorPtr input, std::vector<SortKey> keys,
                     size_t keep_width, uint64_t bound = kNoSortBound);

}  // namespace sqlrite::engine::exec
