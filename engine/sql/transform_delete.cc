// DELETE FROM t [AS a] [USING items] [WHERE ...] [RETURNING ...].

#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformDelete(const PgQuery__DeleteStmt& stmt) {
  if (stmt.relation == nullptr) return Unsupported("this DELETE form");

  ast::Delete del;
  if (stmt.with_clause != nullptr) {
    SQLRITE_TRY(TransformWith(*stmt.with_clause, del.with, del.with_recursive, !in_cte_statement_));
  }
  SQLRITE_ASSIGN_OR_RETURN(del.table, TransformTableRef(*stmt.relation));
  if (stmt.n_using_clause > 0) {
    SQLRITE_ASSIGN_OR_RETURN(
        del.using_query, TransformDmlJoin(*stmt.relation, stmt.using_clause, stmt.n_using_clause,
                                          stmt.where_clause));
  } else if (!IsNullNode(stmt.where_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(del.where, TransformExpr(stmt.where_clause));
  }
  SQLRITE_ASSIGN_OR_RETURN(del.returning,
                           TransformTargetList(stmt.returning_list, stmt.n_returning_list));
  return ast::Statement(std::move(del));
}

}  // namespace sqlrite::engine::sql
