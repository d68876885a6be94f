#pragma once
// Which columns of its input row a bound expression reads: the planner's needed-columns pass
// (engine/plan/needed_columns.h) and a table reader's filter (engine/table_access.h, which decodes
// a filter's columns before the rest of a row) both ask it.

#include <vector>

#include "engine/expression.h"

namespace sqlrite::engine {

// Sets columns[i] for every column i that expr reads (kColumn references, including the outer
// values a kSubquery is given in its args). A reference past columns.size() (which a correct
// plan never makes) sets every entry.
void MarkColumnsRead(const BoundExpr& expr, std::vector<bool>& columns);

}  // namespace sqlrite::engine
