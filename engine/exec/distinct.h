#pragma once
// DISTINCT: the first occurrence of each distinct value of a row's leading key_types.size()
// columns (the output columns; hidden sort values after them are not compared), in input order.
// It reads its whole input before the first row goes out, as PostgreSQL's HashAggregate and
// Sort + Unique do: a LIMIT above it does not stop its input early, so an error in any input row
// (a division by zero) is raised as PostgreSQL raises it. Holds every distinct row and its
// encoded key, up to ctx.spill.hash_mem: past it (as the hash aggregate, aggregate.h) the rows of
// values not seen yet go to partition files by their key's hash, and each partition is reduced
// by a Distinct of its own after the rows in memory are out (so the output is then in input
// order only within each of those passes).

#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/types.h"

namespace sqlrite::engine::exec {

OperatorPtr MakeDistinct(ReadContext& ctx, OperatorPtr input, std::vector<TypeId> key_types);

}  // namespace sqlrite::engine::exec
