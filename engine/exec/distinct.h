#pragma once
// DISTINCT: the first occurrence of each distinct value of a row's leading key_types.size()
// columns (the output columns; hidden sort values after them are not compared), in input order,
// streaming. Holds the encoded key of every distinct row seen (memory grows with the distinct
// rows, as the old materializing executor's did).

#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/types.h"

namespace sqlrite::engine::exec {

OperatorPtr MakeDistinct(ReadContext& ctx, OperatorPtr input, std::vector<TypeId> key_types);

}  // namespace sqlrite::engine::exec
