// INSERT INTO t [AS a] [(cols)] VALUES (...), ... | SELECT ... | DEFAULT VALUES
// [ON CONFLICT ...] [RETURNING ...].

#include <memory>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformInsert(const PgQuery__InsertStmt& stmt) {
  if (stmt.relation == nullptr) return Unsupported("this INSERT form");

  ast::Insert insert;
  if (stmt.with_clause != nullptr) {
    SQLRITE_TRY(
        TransformWith(*stmt.with_clause, insert.with, insert.with_recursive, !in_cte_statement_));
  }
  SQLRITE_ASSIGN_OR_RETURN(insert.table, TransformTableRef(*stmt.relation));
  if (stmt.on_conflict_clause != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(insert.on_conflict, TransformOnConflict(*stmt.on_conflict_clause));
  }

  insert.columns.reserve(stmt.n_cols);
  for (size_t i = 0; i < stmt.n_cols; ++i) {
    const PgQuery__Node* node = stmt.cols[i];
    if (node->node_case != PG_QUERY__NODE__NODE_RES_TARGET) return Unsupported("this column list");
    const PgQuery__ResTarget& col = *node->res_target;
    if (col.n_indirection > 0) {
      return Unsupported("assigning to a field or array element", col.location);
    }
    insert.columns.emplace_back(col.name != nullptr ? col.name : "");
  }

  if (stmt.override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_SYSTEM_VALUE) {
    insert.overriding = ast::Overriding::kSystemValue;
  } else if (stmt.override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_USER_VALUE) {
    insert.overriding = ast::Overriding::kUserValue;
  }
  if (IsNullNode(stmt.select_stmt)) {
    insert.default_values = true;
    SQLRITE_ASSIGN_OR_RETURN(insert.returning,
                             TransformTargetList(stmt.returning_list, stmt.n_returning_list));
    return ast::Statement(std::move(insert));
  }
  if (stmt.select_stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("this INSERT source");
  }
  const PgQuery__SelectStmt& source = *stmt.select_stmt->select_stmt;
  // A bare VALUES list is the common case; anything else (even VALUES with ORDER BY or LIMIT)
  // is a query.
  bool plain_values = source.n_values_lists > 0 && source.n_sort_clause == 0 &&
                      IsNullNode(source.limit_count) && IsNullNode(source.limit_offset) &&
                      source.with_clause == nullptr;
  if (plain_values) {
    insert.rows.reserve(source.n_values_lists);
    for (size_t r = 0; r < source.n_values_lists; ++r) {
      const PgQuery__Node* row_node = source.values_lists[r];
      if (row_node->node_case != PG_QUERY__NODE__NODE_LIST) return Unsupported("this VALUES row");
      const PgQuery__List& list = *row_node->list;
      std::vector<ast::ExprPtr> row;
      row.reserve(list.n_items);
      for (size_t i = 0; i < list.n_items; ++i) {
        SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr value, TransformValueExpr(list.items[i]));
        row.push_back(std::move(value));
      }
      insert.rows.push_back(std::move(row));
    }
  } else {
    SQLRITE_ASSIGN_OR_RETURN(ast::Select select, TransformSelect(source));
    insert.select = std::make_unique<ast::Select>(std::move(select));
  }

  SQLRITE_ASSIGN_OR_RETURN(insert.returning,
                           TransformTargetList(stmt.returning_list, stmt.n_returning_list));
  return ast::Statement(std::move(insert));
}

Result<std::unique_ptr<ast::OnConflict>> Transformer::TransformOnConflict(
    const PgQuery__OnConflictClause& c) {
  auto on_conflict = std::make_unique<ast::OnConflict>();
  on_conflict->location = c.location;
  on_conflict->action = c.action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE
                            ? ast::OnConflict::Action::kUpdate
                            : ast::OnConflict::Action::kNothing;
  if (c.infer != nullptr) {
    const PgQuery__InferClause& infer = *c.infer;
    if (infer.conname != nullptr && infer.conname[0] != '\0')
      on_conflict->constraint = infer.conname;
    for (size_t i = 0; i < infer.n_index_elems; ++i) {
      const PgQuery__Node* node = infer.index_elems[i];
      if (node->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM) {
        return Unsupported("this ON CONFLICT target", infer.location);
      }
      const PgQuery__IndexElem& elem = *node->index_elem;
      if (elem.name == nullptr || elem.name[0] == '\0') {
        if (elem.expr == nullptr) return Unsupported("this ON CONFLICT target", infer.location);
        // An expression: matched against expression indexes by its text.
        SQLRITE_ASSIGN_OR_RETURN(std::string sql, DeparseExpr(elem.expr));
        on_conflict->expressions.resize(on_conflict->columns.size());
        on_conflict->expressions.push_back(std::move(sql));
        on_conflict->columns.emplace_back();
        on_conflict->column_locations.push_back(infer.location);
        continue;
      }
      if (!on_conflict->expressions.empty()) on_conflict->expressions.emplace_back();
      on_conflict->columns.emplace_back(elem.name);
      on_conflict->column_locations.push_back(infer.location);
    }
    if (!IsNullNode(infer.where_clause)) {
      SQLRITE_ASSIGN_OR_RETURN(on_conflict->index_where, TransformExpr(infer.where_clause));
    }
  }
  SQLRITE_ASSIGN_OR_RETURN(on_conflict->assignments,
                           TransformAssignments(c.target_list, c.n_target_list));
  if (!IsNullNode(c.where_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(on_conflict->where, TransformExpr(c.where_clause));
  }
  return on_conflict;
}

}  // namespace sqlrite::engine::sql
