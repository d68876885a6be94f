#pragma once
// Joins over a materialized right input and a streaming left input: the hash join (equality
// keys) and the nested loop (any condition, or none). Both read the right input in full on the
// first call, then stream the left: for each left row, the candidate right rows (those whose
// keys equal the left row's keys; for a nested loop every right row) that also satisfy the
// residual condition are joined, in right-input order. Output rows are the left row's values
// followed by the right row's.
//
// Outer variants: LEFT adds each left row that matched nothing, padded with right_width NULLs,
// right after its (absent) matches; RIGHT adds each right row that matched no left row, padded
// on the left, after the left input ends; FULL does both. A NULL key never equals anything (so
// a row with one is unmatched, and still emitted by an outer join on its side).
//
// Keys: left_keys[i] is bound over the left row, right_keys[i] over the right row, and both
// sides' values are encoded as key_types[i] (engine/key_codec.h: integers of any width as int8,
// text and varchar as text), so equal values encode equal. The residual is bound over the joined
// row. When the right input is empty, an inner or RIGHT join never reads its left input.
//
// Polls ctx's interrupts per left row and per candidate, so a join of big inputs stops on a
// cancel or statement_timeout.
//
// Memory: every right row and its encoded key, up to ctx.spill.hash_mem (work_mem *
// hash_mem_multiplier). Past it a hash join turns into a grace hash join, as PostgreSQL's
// batches (nodeHash.c): the right rows, then all the left rows, go to temporary files by the hash
// of their key (spill_file.h), a row with a NULL key aside (kept for an outer join's unmatched
// rows, else dropped); then each batch's pair of files is joined by a hash join of its own, which
// splits again if its right side still does not fit (up to kMaxSpillLevel times). Rows then come
// batch by batch, so their order is not the in-memory join's (no order is promised without
// ORDER BY). A nested loop (no keys) cannot be split and keeps its right input in memory.

#include <cstddef>
#include <optional>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"
#include "engine/types.h"

namespace sqlrite::engine::exec {

// kSemi / kAnti (EXISTS, IN and NOT EXISTS decorrelated): each left row once, alone (no right
// values), when some right row matches it / when none does (a NULL key matches nothing, so
// ANTI keeps its row); the output row is left_width values.
enum class JoinKind : uint8_t { kInner, kLeft, kRight, kFull, kSemi, kAnti };

struct JoinSpec {
  JoinKind kind = JoinKind::kInner;
  size_t left_width = 0;
  size_t right_width = 0;
  std::vector<BoundExpr> left_keys;  // empty: a nested loop
  std::vector<BoundExpr> right_keys;
  std::vector<TypeId> key_types;
  std::optional<BoundExpr> residual;
};

// REQUIRES: left_keys, right_keys and key_types have one entry per key.
OperatorPtr MakeHashJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right, JoinSpec spec);

// The nested loop: MakeHashJoin with no keys (every right row is a candidate).
inline OperatorPtr MakeNestedLoopJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right,
                                      JoinSpec spec) {
  spec.left_keys.clear();
  spec.right_keys.clear();
  spec.key_types.clear();
  return MakeHashJoin(ctx, std::move(left), std::move(right), std::move(spec));
}

}  // namespace sqlrite::engine::exec
