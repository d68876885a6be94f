#pragma once
// DISTINCT ON (PostgreSQL's Unique): over input in which rows equal on the key columns are
// adjacent (a Sort below it orders by them first), passes the first row of each run of equal
// rows and drops the rest. Streams: it holds only the encoded key of the last row it passed,
// and asks its input only for what the rows requested need (plus the run it is skipping), so a
// LIMIT above it stops the input early. Keys compare as the memcomparable key encoding does
// (engine/key_codec.h): NULLs equal one another, values equal under their type's `=` (1.0 and
// 1.00) are equal.

#include <cstddef>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/types.h"

namespace sqlrite::engine::exec {

// REQUIRES: key_columns.size() == key_types.size(), each column within the input's rows.
OperatorPtr MakeUnique(ReadContext& ctx, OperatorPtr input, std::vector<size_t> key_columns,
                       std::vector<TypeId> key_types);

}  // namespace sqlrite::engine::exec
