#pragma once
// OFFSET / LIMIT: skips offset rows, then passes at most limit rows and stops: it never asks its
// input for more rows than it still needs, so a LIMIT 1 over a scan reads one row and the
// pipeline below it stops there.
//
// FETCH FIRST ... WITH TIES (Ties non-empty): after the limit's last row it goes on passing the
// rows equal to that row on the tie columns (the ORDER BY keys its input is sorted by; NULLs
// equal, as the key encoding compares), asking its input for one row at a time, and stops at the
// first row that differs, as PostgreSQL's Limit. A limit of 0 passes no row.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/types.h"

namespace sqlrite::engine::exec {

struct Ties {
  std::vector<size_t> columns;
  std::vector<TypeId> types;  // per column
};

// REQUIRES: offset >= 0, limit >= 0 (INT64_MAX: no limit); ties.columns.size() ==
// ties.types.size().
OperatorPtr MakeLimit(OperatorPtr input, int64_t offset, int64_t limit, Ties ties = {});

}  // namespace sqlrite::engine::exec
