// UPDATE t SET col = expr, ... [WHERE ...] [RETURNING ...].

#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformUpdate(const PgQuery__UpdateStmt& stmt) {
  if (stmt.with_clause != nullptr) return Unsupported("WITH", stmt.with_clause->location);
  if (stmt.n_from_clause > 0) return Unsupported("UPDATE ... FROM");
  if (stmt.relation == nullptr) return Unsupported("this UPDATE form");

  ast::Update update;
  SQLRITE_ASSIGN_OR_RETURN(update.table, TransformTableRef(*stmt.relation));

  update.assignments.reserve(stmt.n_target_list);
  for (size_t i = 0; i < stmt.n_target_list; ++i) {
    const PgQuery__Node* node = stmt.target_list[i];
    if (node->node_case != PG_QUERY__NODE__NODE_RES_TARGET) return Unsupported("this SET item");
    const PgQuery__ResTarget& target = *node->res_target;
    if (target.n_indirection > 0) {
      return Unsupported("assigning to a field or array element", target.location);
    }
    if (target.val != nullptr && target.val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF) {
      return Unsupported("multiple-column assignment", target.location);
    }
    ast::Assignment assignment;
    assignment.column = target.name != nullptr ? target.name : "";
    assignment.location = target.location;
    SQLRITE_ASSIGN_OR_RETURN(assignment.value, TransformValueExpr(target.val));
    update.assignments.push_back(std::move(assignment));
  }

  if (!IsNullNode(stmt.where_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(update.where, TransformExpr(stmt.where_clause));
  }
  SQLRITE_ASSIGN_OR_RETURN(update.returning,
                           TransformTargetList(stmt.returning_list, stmt.n_returning_list));
  return ast::Statement(std::move(update));
}

}  // namespace sqlrite::engine::sql
