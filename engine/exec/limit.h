#pragma once
// OFFSET / LIMIT: skips offset rows, then passes at most limit rows and stops: it never asks its
// input for more rows than it still needs, so a LIMIT 1 over a scan reads one row and the
// pipeline below it stops there.

#include <cstdint>

#include "engine/exec/operator.h"

namespace sqlrite::engine::exec {

// REQUIRES: offset >= 0, limit >= 0 (INT64_MAX: no limit).
OperatorPtr MakeLimit(OperatorPtr input, int64_t offset, int64_t limit);

}  // namespace sqlrite::engine::exec
