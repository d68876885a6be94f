// SELECT: one query block over zero or more FROM items (several = cross join), each a table or
// a join of items.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/sql/internal_calls.h"
#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

// LIMIT ALL and OFFSET NULL arrive as a NULL constant; both mean "no clause".
bool IsNullConst(const PgQuery__Node* node) {
  return IsNullNode(node) ||
         (node->node_case == PG_QUERY__NODE__NODE_A_CONST && node->a_const->isnull);
}

ast::ExprPtr MakeCallExpr(ast::FuncCall call, int location) {
  auto expr = std::make_unique<ast::Expr>();
  expr->node = std::move(call);
  expr->location = location;
  return expr;
}

}  // namespace

Result<ast::TableRef> Transformer::TransformFromItem(const PgQuery__Node& item) {
  switch (item.node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR:
      return TransformTableRef(*item.range_var);
    case PG_QUERY__NODE__NODE_JOIN_EXPR: {
      const PgQuery__JoinExpr& j = *item.join_expr;
      auto join = std::make_unique<ast::JoinExpr>();
      switch (j.jointype) {
        case PG_QUERY__JOIN_TYPE__JOIN_INNER:
          // CROSS JOIN is an inner join without a condition.
          join->type = j.quals == nullptr && j.n_using_clause == 0 && !j.is_natural
                           ? ast::JoinType::kCross
                           : ast::JoinType::kInner;
          break;
        case PG_QUERY__JOIN_TYPE__JOIN_LEFT:
          join->type = ast::JoinType::kLeft;
          break;
        case PG_QUERY__JOIN_TYPE__JOIN_RIGHT:
          join->type = ast::JoinType::kRight;
          break;
        case PG_QUERY__JOIN_TYPE__JOIN_FULL:
          join->type = ast::JoinType::kFull;
          break;
        default:
          return Unsupported("this join type");
      }
      if (j.alias != nullptr) return Unsupported("an alias on a join");
      if (j.join_using_alias != nullptr) return Unsupported("an alias on JOIN USING");
      join->natural = j.is_natural;
      for (size_t u = 0; u < j.n_using_clause; ++u) {
        const PgQuery__Node* name = j.using_clause[u];
        if (name->node_case != PG_QUERY__NODE__NODE_STRING) return Unsupported("this USING item");
        join->using_columns.push_back(name->string->sval);
      }
      SQLRITE_ASSIGN_OR_RETURN(join->left, TransformFromItem(*j.larg));
      SQLRITE_ASSIGN_OR_RETURN(join->right, TransformFromItem(*j.rarg));
      if (!IsNullNode(j.quals)) {
        SQLRITE_ASSIGN_OR_RETURN(join->on, TransformExpr(j.quals));
      }
      // The join's position: its left item's (libpg_query records none for the JoinExpr).
      join->location = join->left.join ? join->left.join->location : join->left.table.location;
      ast::TableRef ref;
      ref.join = std::move(join);
      return ref;
    }
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
      const PgQuery__RangeSubselect& sub = *item.range_subselect;
      if (IsNullNode(sub.subquery) || sub.subquery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
        return Unsupported("this subquery in FROM");
      }
      ast::TableRef ref;
      SQLRITE_ASSIGN_OR_RETURN(ast::Select select, TransformSelect(*sub.subquery->select_stmt));
      ref.subquery = std::make_unique<ast::Select>(std::move(select));
      ref.lateral = sub.lateral;
      if (sub.alias == nullptr) {
        return Fail(Error(sqlstate::kSyntaxError, "subquery in FROM must have an alias")
                        .WithHint("For example, FROM (SELECT ...) [AS] foo."));
      }
      if (sub.alias->aliasname != nullptr) ref.alias = sub.alias->aliasname;
      for (size_t c = 0; c < sub.alias->n_colnames; ++c) {
        const PgQuery__Node* name = sub.alias->colnames[c];
        if (name->node_case != PG_QUERY__NODE__NODE_STRING) return Unsupported("this alias");
        ref.column_aliases.push_back(name->string->sval);
      }
      return ref;
    }
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION: {
      // LATERAL is a noise word before a function: PostgreSQL's functions in FROM may always
      // read earlier items.
      const PgQuery__RangeFunction& fn = *item.range_function;
      if (fn.n_coldeflist > 0) return Unsupported("a column definition list");
      if (fn.n_functions < 1) return Unsupported("this function in FROM");
      std::vector<ast::ExprPtr> calls;
      for (size_t i = 0; i < fn.n_functions; ++i) {
        const PgQuery__Node* pair = fn.functions[i];
        if (pair->node_case != PG_QUERY__NODE__NODE_LIST || pair->list->n_items < 1) {
          return Unsupported("this function in FROM");
        }
        if (pair->list->n_items > 1 && !IsNullNode(pair->list->items[1])) {
          return Unsupported("a column definition list");
        }
        const PgQuery__Node* call = pair->list->items[0];
        if (IsNullNode(call) || call->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) {
          return Unsupported("this function in FROM");
        }
        SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr bound_call, TransformExpr(call));
        // unnest(a, b, ...), alone or inside ROWS FROM, is unnest(a), unnest(b), ... side by
        // side, as PostgreSQL's transformRangeFunction reads it: only the unqualified name of a
        // plain call (pg_catalog.unnest(a, b) is the function of several arguments, which does
        // not exist).
        const PgQuery__FuncCall& raw = *call->func_call;
        auto* f = std::get_if<ast::FuncCall>(&bound_call->node);
        if (f != nullptr && raw.n_funcname == 1 && f->name == "unnest" && f->args.size() > 1 &&
            !f->star && !f->distinct && f->filter == nullptr && f->over == nullptr &&
            f->order_by.empty() && !f->within_group && f->arg_names.empty()) {
          const int location = bound_call->location;
          for (ast::ExprPtr& arg : f->args) {
            ast::FuncCall one;
            one.name = "unnest";
            one.args.push_back(std::move(arg));
            calls.push_back(MakeCallExpr(std::move(one), location));
          }
          continue;
        }
        if (f != nullptr && raw.n_funcname > 1 && f->name == "unnest" && f->args.size() > 1) {
          // Named as written, as PostgreSQL's 42883 names it (the binder refuses a call
          // spelled with a '.' in its name before any lookup).
          f->name = "pg_catalog.unnest";
        }
        calls.push_back(std::move(bound_call));
      }
      ast::TableRef ref;
      if (calls.size() == 1) {
        ref.function = std::move(calls[0]);  // ROWS FROM of one function is that function
      } else {
        const int location = calls[0]->location;
        ast::FuncCall rows_from;
        rows_from.internal = true;
        rows_from.name = std::string(ast::kRowsFromCall);
        rows_from.args = std::move(calls);
        ref.function = MakeCallExpr(std::move(rows_from), location);
      }
      ref.ordinality = fn.ordinality;
      if (fn.alias != nullptr) {
        if (fn.alias->aliasname != nullptr) ref.alias = fn.alias->aliasname;
        for (size_t c = 0; c < fn.alias->n_colnames; ++c) {
          const PgQuery__Node* name = fn.alias->colnames[c];
          if (name->node_case != PG_QUERY__NODE__NODE_STRING) return Unsupported("this alias");
          ref.column_aliases.push_back(name->string->sval);
        }
      }
      return ref;
    }
    default:
      return Unsupported("this FROM item");
  }
}

Result<ast::OrderItem> Transformer::TransformSortBy(const PgQuery__Node& node) {
  if (node.node_case != PG_QUERY__NODE__NODE_SORT_BY) return Unsupported("this ORDER BY item");
  const PgQuery__SortBy& sort = *node.sort_by;
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
  return item;
}

Result<ast::LockingClause> Transformer::TransformLockingClause(
    const PgQuery__LockingClause& clause) {
  ast::LockingClause out;
  switch (clause.strength) {
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORKEYSHARE:
      out.strength = ast::LockingClause::Strength::kKeyShare;
      break;
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORSHARE:
      out.strength = ast::LockingClause::Strength::kShare;
      break;
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORNOKEYUPDATE:
      out.strength = ast::LockingClause::Strength::kNoKeyUpdate;
      break;
    default:
      out.strength = ast::LockingClause::Strength::kUpdate;
      break;
  }
  switch (clause.wait_policy) {
    case PG_QUERY__LOCK_WAIT_POLICY__LockWaitSkip:
      out.wait = ast::LockingClause::Wait::kSkipLocked;
      break;
    case PG_QUERY__LOCK_WAIT_POLICY__LockWaitError:
      out.wait = ast::LockingClause::Wait::kNoWait;
      break;
    default:
      out.wait = ast::LockingClause::Wait::kBlock;
      break;
  }
  for (size_t i = 0; i < clause.n_locked_rels; ++i) {
    const PgQuery__Node* rel = clause.locked_rels[i];
    if (rel == nullptr || rel->node_case != PG_QUERY__NODE__NODE_RANGE_VAR) {
      return Unsupported("this FOR UPDATE ... OF item");
    }
    // As PostgreSQL: OF names a FROM item by its reference name; a qualified name is refused
    // there too (42601 "FOR UPDATE must specify unqualified relation names").
    if (rel->range_var->schemaname != nullptr && rel->range_var->schemaname[0] != '\0') {
      return ErrorAt(sqlstate::kSyntaxError,
                     std::string(LockingStrengthName(out.strength)) +
                         " must specify unqualified relation names",
                     rel->range_var->location);
    }
    out.of.emplace_back(rel->range_var->relname);
    out.of_locations.push_back(Position(rel->range_var->location));
  }
  return out;
}

Result<ast::Select> Transformer::TransformSelect(const PgQuery__SelectStmt& stmt, bool statement) {
  if (stmt.into_clause != nullptr) return Unsupported("SELECT INTO");
  if (stmt.n_locking_clause > 0 && !statement) {
    return UnsupportedPlural(
        "FOR UPDATE and FOR SHARE in a subquery, WITH query, EXPLAIN, cursor or COPY");
  }
  ast::Select select;
  for (size_t i = 0; i < stmt.n_locking_clause; ++i) {
    const PgQuery__Node* node = stmt.locking_clause[i];
    if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_LOCKING_CLAUSE) {
      return Unsupported("this locking clause");
    }
    SQLRITE_ASSIGN_OR_RETURN(ast::LockingClause clause,
                             TransformLockingClause(*node->locking_clause));
    select.locking.push_back(std::move(clause));
  }
  if (stmt.with_clause != nullptr) {
    SQLRITE_TRY(TransformWith(*stmt.with_clause, select.with, select.with_recursive, statement));
  }
  if (stmt.op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
      stmt.op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
    // A set operation: its branches are queries of their own; ORDER BY, LIMIT and OFFSET
    // (below) apply to the whole.
    auto set_op = std::make_unique<ast::SetOperation>();
    switch (stmt.op) {
      case PG_QUERY__SET_OPERATION__SETOP_UNION:
        set_op->kind = ast::SetOpKind::kUnion;
        break;
      case PG_QUERY__SET_OPERATION__SETOP_INTERSECT:
        set_op->kind = ast::SetOpKind::kIntersect;
        break;
      case PG_QUERY__SET_OPERATION__SETOP_EXCEPT:
        set_op->kind = ast::SetOpKind::kExcept;
        break;
      default:
        return Unsupported("this set operation");
    }
    set_op->all = stmt.all;
    if (stmt.larg == nullptr || stmt.rarg == nullptr) return Unsupported("this set operation");
    SQLRITE_ASSIGN_OR_RETURN(set_op->left, TransformSelect(*stmt.larg));
    SQLRITE_ASSIGN_OR_RETURN(set_op->right, TransformSelect(*stmt.rarg));
    select.set_op = std::move(set_op);
  } else if (stmt.n_values_lists > 0) {
    for (size_t r = 0; r < stmt.n_values_lists; ++r) {
      const PgQuery__Node* row_node = stmt.values_lists[r];
      if (row_node->node_case != PG_QUERY__NODE__NODE_LIST) return Unsupported("this VALUES row");
      const PgQuery__List& list = *row_node->list;
      SQLRITE_ASSIGN_OR_RETURN(std::vector<ast::ExprPtr> row,
                               TransformExprList(list.items, list.n_items));
      select.values.push_back(std::move(row));
    }
  } else if (stmt.n_distinct_clause > 0) {
    // Plain DISTINCT is a list holding one NULL; DISTINCT ON lists expressions.
    if (stmt.n_distinct_clause != 1 || !IsNullNode(stmt.distinct_clause[0])) {
      SQLRITE_ASSIGN_OR_RETURN(select.distinct_on,
                               TransformExprList(stmt.distinct_clause, stmt.n_distinct_clause));
    }
    select.distinct = true;
  }

  SQLRITE_ASSIGN_OR_RETURN(select.items, TransformTargetList(stmt.target_list, stmt.n_target_list));

  select.from.reserve(stmt.n_from_clause);
  for (size_t i = 0; i < stmt.n_from_clause; ++i) {
    const PgQuery__Node* item = stmt.from_clause[i];
    SQLRITE_ASSIGN_OR_RETURN(ast::TableRef ref, TransformFromItem(*item));
    select.from.push_back(std::move(ref));
  }

  if (!IsNullNode(stmt.where_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(select.where, TransformExpr(stmt.where_clause));
  }
  SQLRITE_ASSIGN_OR_RETURN(select.group_by,
                           TransformExprList(stmt.group_clause, stmt.n_group_clause));
  select.group_distinct = stmt.group_distinct && !select.group_by.empty();
  if (!IsNullNode(stmt.having_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(select.having, TransformExpr(stmt.having_clause));
  }

  for (size_t i = 0; i < stmt.n_window_clause; ++i) {
    const PgQuery__Node* node = stmt.window_clause[i];
    if (node->node_case != PG_QUERY__NODE__NODE_WINDOW_DEF) return Unsupported("this WINDOW item");
    SQLRITE_ASSIGN_OR_RETURN(ast::WindowDef w, TransformWindowDef(*node->window_def));
    select.windows.push_back(std::move(w));
  }

  select.order_by.reserve(stmt.n_sort_clause);
  for (size_t i = 0; i < stmt.n_sort_clause; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(ast::OrderItem item, TransformSortBy(*stmt.sort_clause[i]));
    select.order_by.push_back(std::move(item));
  }

  // The parser itself refuses WITH TIES without ORDER BY (42601), as PostgreSQL's grammar.
  select.with_ties = stmt.limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES;
  if (select.with_ties && !IsNullNode(stmt.limit_count) && IsNullConst(stmt.limit_count)) {
    // PostgreSQL's transformLimitClause: a NULL count would mean no limit, which WITH TIES
    // does not allow.
    return ErrorAt(sqlstate::kInvalidRowCountInLimitClause,
                   "row count cannot be null in FETCH FIRST ... WITH TIES clause",
                   stmt.limit_count->a_const->location);
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
