#include "engine/column_defaults.h"

#include <utility>

namespace sqlrite::engine {

Result<ColumnDefaults> ColumnDefaults::Bind(const TableDef& def) {
  ColumnDefaults out;
  out.exprs_.reserve(def.columns.size());
  const Scope no_columns;
  for (const ColumnDef& col : def.columns) {
    BoundExpr e;
    if (col.default_expr != nullptr) {
      Binder binder(no_columns);
      binder.SetClause("DEFAULT expressions");
      SQLRITE_ASSIGN_OR_RETURN(e, binder.Bind(*col.default_expr));
      SQLRITE_ASSIGN_OR_RETURN(e, CoerceForAssignment(std::move(e), col.type, col.name, -1));
    } else {
      e.kind = ExprKind::kConst;
      e.type = col.type;
      if (col.has_default) e.value = col.default_value;
    }
    out.exprs_.push_back(std::move(e));
  }
  return out;
}

}  // namespace sqlrite::engine
