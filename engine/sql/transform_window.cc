// Window specifications: OVER (...), OVER name and the WINDOW clause's entries. The grammar has
// already refused the impossible frames (UNBOUNDED FOLLOWING as a start, ...), with 42P20.

#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::WindowDef> Transformer::TransformWindowDef(const PgQuery__WindowDef& w) {
  ast::WindowDef def;
  if (w.name != nullptr) def.name = w.name;
  if (w.refname != nullptr) def.refname = w.refname;
  SQLRITE_ASSIGN_OR_RETURN(def.partition_by,
                           TransformExprList(w.partition_clause, w.n_partition_clause));
  for (size_t i = 0; i < w.n_order_clause; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(ast::OrderItem item, TransformSortBy(*w.order_clause[i]));
    def.order_by.push_back(std::move(item));
  }
  def.frame_options = w.frame_options;
  if (!IsNullNode(w.start_offset)) {
    SQLRITE_ASSIGN_OR_RETURN(def.start_offset, TransformExpr(w.start_offset));
  }
  if (!IsNullNode(w.end_offset)) {
    SQLRITE_ASSIGN_OR_RETURN(def.end_offset, TransformExpr(w.end_offset));
  }
  def.location = w.location;
  return def;
}

}  // namespace sqlrite::engine::sql
