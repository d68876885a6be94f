// SELECT: one query block over zero or more base tables (several = cross join).

#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

const char* SetOperationName(PgQuery__SetOperation op) {
  switch (op) {
    case PG_QUERY__SET_OPERATION__SETOP_UNION:
      return "UNION";
    case PG_QUERY__SET_OPERATION__SETOP_INTERSECT:
      return "INTERSECT";
    case PG_QUERY__SET_OPERATION__SETOP_EXCEPT:
      return "EXCEPT";
    default:
      return "this set operation";
  }
}

// LIMIT ALL and OFFSET NULL arrive as a NULL constant; both mean "no clause".
bool IsNullConst(const PgQuery__Node* node) {
  return IsNullNode(node) ||
         (node->node_case == PG_QUERY__NODE__NODE_A_CONST && node->a_const->isnull);
}

}  // namespace

Result<ast::Select> Transformer::TransformSelect(const PgQuery__SelectStmt& stmt) {
  if (stmt.op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
      stmt.op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
    return Unsupported(SetOperationName(stmt.op));
  }
  if (stmt.with_clause != nullptr) return Unsupported("WITH", stmt.with_clause->location);
  if (stmt.n_values_lists > 0) return Unsupported("VALUES outside INSERT");
  if (stmt.into_clause != nullptr) return Unsupported("SELECT INTO");
  if (stmt.n_window_clause > 0) return Unsupported("WINDOW");
  if (stmt.n_locking_clause > 0) return UnsupportedPlural("FOR UPDATE and FOR SHARE");
  if (stmt.group_distinct) return Unsupported("GROUP BY DISTINCT");
  if (stmt.limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES) {
    return Unsupported("FETCH ... WITH TIES");
  }

  ast::Select select;
  if (stmt.n_distinct_clause > 0) {
    // Plain DISTINCT is a list holding one NULL; DISTINCT ON lists expressions.
    if (stmt.n_distinct_clause != 1 || !IsNullNode(stmt.distinct_clause[0])) {
      return Unsupported("DISTINCT ON");
    }
    select.distinct = true;
  }

  SQLRITE_ASSIGN_OR_RETURN(select.items, TransformTargetList(stmt.target_list, stmt.n_target_list));

  select.from.reserve(stmt.n_from_clause);
  for (size_t i = 0; i < stmt.n_from_clause; ++i) {
    const PgQuery__Node* item = stmt.from_clause[i];
    switch (item->node_case) {
      case PG_QUERY__NODE__NODE_RANGE_VAR: {
        SQLRITE_ASSIGN_OR_RETURN(ast::TableRef ref, TransformTableRef(*item->range_var));
        select.from.push_back(std::move(ref));
        break;
      }
      case PG_QUERY__NODE__NODE_JOIN_EXPR:
        return Unsupported("JOIN");
      case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
        return UnsupportedPlural("subqueries in FROM");
      case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
        return UnsupportedPlural("functions in FROM");
      default:
        return Unsupported("this FROM item");
    }
  }

  if (!IsNullNode(stmt.where_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(select.where, TransformExpr(stmt.where_clause));
  }
  SQLRITE_ASSIGN_OR_RETURN(select.group_by,
                           TransformExprList(stmt.group_clause, stmt.n_group_clause));
  if (!IsNullNode(stmt.having_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(select.having, TransformExpr(stmt.having_clause));
  }

  select.order_by.reserve(stmt.n_sort_clause);
  for (size_t i = 0; i < stmt.n_sort_clause; ++i) {
    const PgQuery__Node* node = stmt.sort_clause[i];
    if (node->node_case != PG_QUERY__NODE__NODE_SORT_BY) return Unsupported("this ORDER BY item");
    const PgQuery__SortBy& sort = *node->sort_by;
    if (sort.sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING) {
      return Unsupported("ORDER BY ... USING", sort.location);
    }
    ast::OrderItem item;
    SQLRITE_ASSIGN_OR_RETURN(item.expr, TransformExpr(sort.node));
    item.descending = sort.sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
    if (sort.sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST) {
      item.nulls_first = true;
    } else if (sort.sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST) {
      item.nulls_first = false;
    }
    select.order_by.push_back(std::move(item));
  }

  if (!IsNullConst(stmt.limit_count)) {
    SQLRITE_ASSIGN_OR_RETURN(select.limit, TransformExpr(stmt.limit_count));
  }
  if (!IsNullConst(stmt.limit_offset)) {
    SQLRITE_ASSIGN_OR_RETURN(select.offset, TransformExpr(stmt.limit_offset));
  }
  return select;
}

}  // namespace sqlrite::engine::sql
