#pragma once
// INTERSECT / EXCEPT [ALL], hashed (PostgreSQL's HashSetOp): rows are compared on all their
// columns (key_types, one per column; NULLs equal, as the set operations treat them). The right
// input is read first and each distinct row counted; then the left input streams, each left row
// checked against the counts:
//   INTERSECT      a left row whose value the right has, once per value
//   INTERSECT ALL  min(left count, right count) copies of each value
//   EXCEPT         a left row whose value the right lacks, once per value
//   EXCEPT ALL     max(left count - right count, 0) copies of each value
// Rows come out in the left input's order while the counts fit in hash_mem. Holds the right
// input's distinct keys with their counts, and for the distinct variants the keys already
// emitted; past hash_mem the values not yet held go to partition files of both inputs (by a
// hash of the value), each computed after the left input as a set operation of its own, so the
// rows of those values come out last (as PostgreSQL, no order is promised).

#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/types.h"

namespace sqlrite::engine::exec {

enum class SetOpKind : uint8_t { kIntersect, kExcept };

OperatorPtr MakeHashSetOp(ReadContext& ctx, OperatorPtr left, OperatorPtr right, SetOpKind kind,
                          bool all, std::vector<TypeId> key_types);

}  // namespace sqlrite::engine::exec
