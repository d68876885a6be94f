#pragma once
// A semi or anti join that probes an index per left row when the left input turns out small,
// and hash joins otherwise (PostgreSQL chooses between a Nested Loop Semi Join over an index
// scan and a Hash Semi Join by its statistics; without them, the choice is made by reading).
//
// The left input is read first, up to probe_rows + 1 rows. When it ends within probe_rows, the
// right input is never read: for each left row (in order) the key (spec.left_keys[0], over the
// left row) is computed and, unless it is NULL (which matches nothing), `probe` builds the right
// side with it as outer value 0 (a scan whose filter pins the key) and one row is asked of it.
// SEMI emits the left rows some probe found a row for, ANTI the others, each row alone
// (left_width values). Otherwise the buffered rows and the rest of the left input go through
// MakeHashJoin(spec) with the right input as its build side, as if nothing had been read.
//
// Memory: at most probe_rows + 1 left rows, then the hash join's. Polls ctx's interrupts per
// probe.

#include <cstddef>

#include "engine/exec/hash_join.h"
#include "engine/exec/lateral_join.h"
#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"

namespace sqlrite::engine::exec {

// REQUIRES: spec.kind is kSemi or kAnti with one key and no residual; ctx outlives the
// operator.
OperatorPtr MakeProbingSemiJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right,
                                JoinSpec spec, LateralFactory probe, size_t probe_rows);

}  // namespace sqlrite::engine::exec
