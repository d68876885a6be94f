#include "engine/expression_columns.h"

#include <algorithm>

namespace sqlrite::engine {

// The walk reads a BoundExpr's column references from `index` (kColumn) and `args`. A new field
// that can hold a column reference must be walked too: this size check fails to compile when the
// struct changes, to send the change here. (The size is that of x86-64 with libstdc++, with g++
// and clang alike.)
static_assert(sizeof(BoundExpr) == 160, "a BoundExpr field changed: does MarkColumnsRead walk it?");

void MarkColumnsRead(const BoundExpr& expr, std::vector<bool>& columns) {
  if (expr.kind == ExprKind::kColumn) {
    if (expr.index >= 0 && static_cast<size_t>(expr.index) < columns.size()) {
      columns[static_cast<size_t>(expr.index)] = true;
    } else {
      std::fill(columns.begin(), columns.end(), true);
    }
  }
  // kSubquery keeps the outer values it is given in args, so they are walked here too.
  for (const BoundExpr& arg : expr.args) MarkColumnsRead(arg, columns);
}

}  // namespace sqlrite::engine
