#pragma once
// Grouping and aggregation (a hash aggregate: groups keyed by their memcomparable encoded
// GROUP BY values in a hash table, kept in order of first appearance). Reads its whole input on
// the first call, then hands out one row per group: the group's first input row (input_width
// values, which the select list's grouped columns read) followed by the aggregate values (at
// agg_offset = input_width, for the kAggRef nodes of HAVING, the select list and ORDER BY).
// Without GROUP BY an empty input still gives one group (count(*) = 0), of NULL input values.
// With grouping sets (grouping_sets.h) each row joins one group per set, keyed by the set's
// number and its expressions' values; the slots that are no aggregates then give the group's
// GROUP BY values (NULL outside its set) and GROUPING() bits; an empty input gives one group per
// empty set.
//
// Memory, as PostgreSQL 13's hash aggregate: once the groups (their first rows, keys and states)
// pass ctx.spill.hash_mem, the groups in memory keep taking their rows, and a row of any other
// group goes to a partition file by its key's hash (spill_file.h). After the input, the groups
// in memory come out, then each partition is aggregated by an aggregate of its own (which
// partitions again if it still does not fit, up to kMaxSpillLevel times). Every row of a group
// meets the same state, so DISTINCT, ORDER BY and array_agg / string_agg states are unchanged;
// one group's own state (array_agg of a billion rows) is never split.
//
// Aggregates: count(*), count, sum, avg, min, max, each optionally DISTINCT and FILTERed, typed as
// PostgreSQL's: sum(int4) is int8 (22003 past its range), sum(int8) and sum(numeric) numeric,
// avg of integers and of numeric numeric (exact: a 128-bit integer accumulator, Numeric sums),
// sum/avg of float8 float8; string_agg(text, text) and (bytea, bytea), its delimiter read per
// row and put before every value but the first, in the order of the call's ORDER BY (the rows
// kept and stably sorted at the end) or else the input's; the ordered-set and hypothetical-set
// aggregates of ordered_set.h, their direct arguments evaluated over the group's output row once
// its other aggregates are computed (a grouping-sets key slot they read is then set).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/exec/grouping_sets.h"
#include "engine/exec/operator.h"
#include "engine/exec/ordered_set.h"
#include "engine/exec/read_context.h"
#include "engine/exec/statistics.h"
#include "engine/expression.h"
#include "engine/types/numeric_sum.h"

namespace sqlrite::engine::exec {

// One aggregate's running state (shared with the window aggregates, engine/exec/window.h).
struct AggState {
  int64_t count = 0;
  Int64SumAccumulator int_sum;        // sum/avg of int4/int8: exact, no overflow
  NumericSumAccumulator numeric_sum;  // sum/avg of numeric: exact, no allocation per row
  double sum = 0;                     // sum/avg of float8
  Interval interval_sum;              // sum/avg of interval
  Datum best;                         // min / max
  std::set<std::string> seen;         // DISTINCT
  std::string text;                   // string_agg without ORDER BY: the result so far
  // string_agg with ORDER BY: each row's sort keys, value and delimiter.
  struct Ordered {
    std::vector<Datum> keys;
    Datum value;
    Datum delimiter;
  };
  std::vector<Ordered> ordered;
  // An ordered-set aggregate's rows (WITHIN GROUP); null until its first row.
  std::unique_ptr<OrderedSetInput> ordered_set;
  // The statistical aggregates' sums (statistics.h).
  StatisticState statistic;
};
// Adds the row ctx reads to st (unless spec's FILTER rejects it; NULL arguments are skipped).
// Not for the ordered-set aggregates, which the aggregate operator feeds itself (ordered_set.h).
Status Accumulate(const AggSpec& spec, AggState& st, const EvalContext& ctx);
// The aggregate's value for the rows added to st.
Result<Datum> FinishAggregate(const AggSpec& spec, const AggState& st);

// grouping: GROUP BY's grouping sets (grouping_sets.h); inactive for a plain GROUP BY.
OperatorPtr MakeAggregate(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> group_by,
                          std::vector<AggSpec> aggs, size_t input_width,
                          GroupingSets grouping = {});

}  // namespace sqlrite::engine::exec
