#pragma once
// Append: the rows of each input in turn, the first input to its end before the second is asked
// for a row (UNION ALL). The inputs' rows have the same width. Holds no row.

#include <vector>

#include "engine/exec/operator.h"

namespace sqlrite::engine::exec {

OperatorPtr MakeAppend(std::vector<OperatorPtr> inputs);

}  // namespace sqlrite::engine::exec
