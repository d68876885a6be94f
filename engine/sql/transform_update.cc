// UPDATE t [AS a] SET col = expr, ... [FROM items] [WHERE ...] [RETURNING ...].

#include <memory>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformUpdate(const PgQuery__UpdateStmt& stmt) {
  if (stmt.relation == nullptr) return Unsupported("this UPDATE form");

  ast::Update update;
  if (stmt.with_clause != nullptr) {
    SQLRITE_TRY(
        TransformWith(*stmt.with_clause, update.with, update.with_recursive, !in_cte_statement_));
  }
  SQLRITE_ASSIGN_OR_RETURN(update.table, TransformTableRef(*stmt.relation));

  SQLRITE_ASSIGN_OR_RETURN(update.assignments,
                           TransformAssignments(stmt.target_list, stmt.n_target_list));
  if (stmt.n_from_clause > 0) {
    SQLRITE_ASSIGN_OR_RETURN(
        update.from_query,
        TransformDmlJoin(*stmt.relation, stmt.from_clause, stmt.n_from_clause, stmt.where_clause));
  } else if (!IsNullNode(stmt.where_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(update.where, TransformExpr(stmt.where_clause));
  }
  SQLRITE_ASSIGN_OR_RETURN(update.returning,
                           TransformTargetList(stmt.returning_list, stmt.n_returning_list));
  return ast::Statement(std::move(update));
}

Result<std::unique_ptr<ast::Select>> Transformer::TransformDmlJoin(const PgQuery__RangeVar& target,
                                                                   PgQuery__Node* const* items,
                                                                   size_t n,
                                                                   const PgQuery__Node* where) {
  auto query = std::make_unique<ast::Select>();
  SQLRITE_ASSIGN_OR_RETURN(ast::TableRef first, TransformTableRef(target));
  query->from.push_back(std::move(first));
  for (size_t i = 0; i < n; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(ast::TableRef ref, TransformFromItem(*items[i]));
    query->from.push_back(std::move(ref));
  }
  ast::SelectItem star;
  star.star = true;
  query->items.push_back(std::move(star));
  if (!IsNullNode(where)) {
    SQLRITE_ASSIGN_OR_RETURN(query->where, TransformExpr(where));
  }
  return query;
}

Result<std::vector<ast::Assignment>> Transformer::TransformAssignments(PgQuery__Node* const* nodes,
                                                                       size_t n) {
  std::vector<ast::Assignment> assignments;
  assignments.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const PgQuery__Node* node = nodes[i];
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
    assignments.push_back(std::move(assignment));
  }
  return assignments;
}

}  // namespace sqlrite::engine::sql
