// MERGE INTO target [AS t] USING source ON cond WHEN [NOT] MATCHED [AND cond] THEN ... (PostgreSQL
// 15's grammar; libpg_query has already refused what it does not accept, such as WHEN MATCHED
// THEN INSERT).

#include <memory>
#include <utility>

#include "engine/sql/merge_target_scope.h"
#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

// The name of the marker column the target's side of the join carries (engine/merge.h): a NUL
// cannot be written in an identifier, so no reference can find it.
const std::string& MatchedMarker() {
  static const std::string kName("\0merge_matched", 14);
  return kName;
}

}  // namespace

Result<ast::Statement> Transformer::TransformMerge(const PgQuery__MergeStmt& stmt) {
  if (stmt.relation == nullptr || stmt.source_relation == nullptr ||
      IsNullNode(stmt.join_condition)) {
    return Unsupported("this MERGE form");
  }
  ast::Merge merge;
  SQLRITE_ASSIGN_OR_RETURN(merge.table, TransformTableRef(*stmt.relation));
  const PgQuery__RangeVar& target_var = *stmt.relation;
  const MergeTargetScope scope(target_var.schemaname != nullptr ? target_var.schemaname : "",
                               target_var.relname != nullptr ? target_var.relname : "",
                               target_var.alias != nullptr && target_var.alias->aliasname != nullptr
                                   ? target_var.alias->aliasname
                                   : "");

  // SELECT * FROM (SELECT *, true AS <marker> FROM target) AS <alias> RIGHT JOIN source ON cond:
  // every source row, with its target rows (matched) or none (the marker NULL).
  auto inner = std::make_unique<ast::Select>();
  {
    ast::TableRef target;
    SQLRITE_ASSIGN_OR_RETURN(target, TransformTableRef(*stmt.relation));
    target.alias.clear();
    inner->from.push_back(std::move(target));
    ast::SelectItem star;
    star.star = true;
    inner->items.push_back(std::move(star));
    ast::SelectItem marker;
    marker.expr = std::make_unique<ast::Expr>();
    marker.expr->node = ast::BoolLiteral{true};
    marker.alias = MatchedMarker();
    inner->items.push_back(std::move(marker));
  }
  ast::TableRef target_side;
  target_side.subquery = std::move(inner);
  target_side.alias = merge.table.alias.empty() ? merge.table.table.name : merge.table.alias;

  auto join = std::make_unique<ast::JoinExpr>();
  join->type = ast::JoinType::kRight;
  join->left = std::move(target_side);
  SQLRITE_ASSIGN_OR_RETURN(join->right, TransformFromItem(*stmt.source_relation));
  SQLRITE_ASSIGN_OR_RETURN(join->on, TransformExpr(stmt.join_condition));
  join->location = stmt.relation->location;

  auto query = std::make_unique<ast::Select>();
  // A data-modifying WITH query is refused here (top_level false) until MERGE runs its list
  // through ExecuteWithList.
  if (stmt.with_clause != nullptr) {
    SQLRITE_TRY(TransformWith(*stmt.with_clause, query->with, query->with_recursive, false));
  }
  ast::TableRef from;
  from.join = std::move(join);
  query->from.push_back(std::move(from));
  ast::SelectItem star;
  star.star = true;
  query->items.push_back(std::move(star));
  merge.join_query = std::move(query);

  for (size_t i = 0; i < stmt.n_merge_when_clauses; ++i) {
    const PgQuery__Node* node = stmt.merge_when_clauses[i];
    if (node->node_case != PG_QUERY__NODE__NODE_MERGE_WHEN_CLAUSE) {
      return Unsupported("this MERGE WHEN clause");
    }
    const PgQuery__MergeWhenClause& c = *node->merge_when_clause;
    ast::MergeWhen when;
    when.matched = c.matched;
    if (!IsNullNode(c.condition)) {
      SQLRITE_ASSIGN_OR_RETURN(when.condition, TransformExpr(c.condition));
    }
    switch (c.command_type) {
      case PG_QUERY__CMD_TYPE__CMD_UPDATE: {
        when.kind = ast::MergeWhen::Kind::kUpdate;
        SQLRITE_ASSIGN_OR_RETURN(when.assignments,
                                 TransformAssignments(c.target_list, c.n_target_list));
        break;
      }
      case PG_QUERY__CMD_TYPE__CMD_DELETE:
        when.kind = ast::MergeWhen::Kind::kDelete;
        break;
      case PG_QUERY__CMD_TYPE__CMD_NOTHING:
        when.kind = ast::MergeWhen::Kind::kNothing;
        break;
      case PG_QUERY__CMD_TYPE__CMD_INSERT: {
        when.kind = ast::MergeWhen::Kind::kInsert;
        for (size_t k = 0; k < c.n_target_list; ++k) {
          const PgQuery__Node* col = c.target_list[k];
          if (col->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
            return Unsupported("this column list");
          }
          if (col->res_target->n_indirection > 0) {
            return Unsupported("assigning to a field or array element", col->res_target->location);
          }
          when.columns.emplace_back(col->res_target->name != nullptr ? col->res_target->name : "");
          when.column_locations.push_back(col->res_target->location);
        }
        if (c.override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_SYSTEM_VALUE) {
          when.overriding = ast::Overriding::kSystemValue;
        } else if (c.override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_USER_VALUE) {
          when.overriding = ast::Overriding::kUserValue;
        }
        when.default_values = c.n_values == 0;
        for (size_t k = 0; k < c.n_values; ++k) {
          SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr value, TransformValueExpr(c.values[k]));
          when.values.push_back(std::move(value));
        }
        break;
      }
      default:
        return Unsupported("this MERGE action");
    }
    merge.whens.push_back(std::move(when));
  }
  return ast::Statement(std::move(merge));
}

}  // namespace sqlrite::engine::sql
