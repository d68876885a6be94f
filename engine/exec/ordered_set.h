#pragma once
// The ordered-set and hypothetical-set aggregates (WITHIN GROUP), as PostgreSQL's
// orderedsetaggs.c computes them: one group's aggregated values are kept, sorted when the group
// is finished, and read once in order.
//
//   percentile_cont(f)    the value at f * (n - 1) of the sorted values, interpolated linearly
//                         between the two rows around it (float8 or interval)
//   percentile_disc(f)    the first value whose position (1-based) reaches f * n
//   ..._cont / _disc(f[]) one such value per fraction, in the array's order (NULL for NULL)
//   mode()                the most frequent value, the first in sort order among ties
//   rank(h...)            1 + the rows that sort before the hypothetical row h
//   dense_rank(h...)      1 + the distinct rows that sort before it
//   percent_rank(h...)    (rank - 1) / n, 0 for no rows
//   cume_dist(h...)       (the rows that sort before or with it + 1) / (n + 1)
//
// NULL values are skipped by the first four, kept (sorted as ORDER BY places them) by the
// hypothetical ones. A fraction outside [0, 1] is 22003. Empty input: NULL for the first four,
// rank / dense_rank 1, percent_rank 0, cume_dist 1.
//
// Memory: the kept rows count towards the aggregate's hash_mem as any state; once one group's
// rows pass work_mem they go to a temporary file (spill_file.h), and the final sort is
// engine/exec/sort.h's, which sorts in runs and merges past work_mem.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/error.h"
#include "engine/exec/read_context.h"
#include "engine/exec/spill_file.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// One group's input to one ordered-set aggregate.
class OrderedSetInput {
 public:
  // Adds the row ctx reads (spec's FILTER applied, its keys evaluated; NULLs skipped as above).
  Status Add(ReadContext& rctx, const AggSpec& spec, const EvalContext& ctx);
  // Memory the kept rows hold (0 once they are in a file).
  size_t memory() const { return memory_; }
  // The aggregate's value; direct: its direct arguments' values for this group. Reads the rows
  // through (once).
  Result<Datum> Finish(ReadContext& rctx, const AggSpec& spec, const std::vector<Datum>& direct);

 private:
  std::vector<Row> rows_;  // each row's key values (one for the non-hypothetical aggregates)
  size_t memory_ = 0;
  std::unique_ptr<SpillFile> file_;  // rows past work_mem, in one run (rows_ then the rest)
  uint64_t count_ = 0;
};

}  // namespace sqlrite::engine::exec
