// Subqueries in expressions (SubLink) and WITH clauses: libpg_query's raw nodes -> ast::SubLink
// and ast::CommonTableExpr. Only the shape is checked here; what the queries may reference is
// the binder's business (engine/analyze/bind_subquery.h, bind_cte.h).

#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::ExprPtr> Transformer::TransformSubLink(const PgQuery__SubLink& s) {
  ast::SubLink link;
  switch (s.sub_link_type) {
    case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK:
      link.kind = ast::SubLink::Kind::kScalar;
      break;
    case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
      link.kind = ast::SubLink::Kind::kExists;
      break;
    case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK:
      link.kind = ast::SubLink::Kind::kAny;
      break;
    case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK:
      link.kind = ast::SubLink::Kind::kAll;
      break;
    case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK:
      link.kind = ast::SubLink::Kind::kArray;
      break;
    default:
      return Unsupported("this kind of subquery", s.location);
  }
  if (link.kind == ast::SubLink::Kind::kAny || link.kind == ast::SubLink::Kind::kAll) {
    // IN (SELECT ...) carries no operator name: it is = ANY.
    std::string_view op = LastName(s.oper_name, s.n_oper_name);
    if (!op.empty()) {
      static constexpr std::pair<std::string_view, ast::BinaryOp> kOps[] = {
          {"=", ast::BinaryOp::kEq}, {"<>", ast::BinaryOp::kNe}, {"!=", ast::BinaryOp::kNe},
          {"<", ast::BinaryOp::kLt}, {"<=", ast::BinaryOp::kLe}, {">", ast::BinaryOp::kGt},
          {">=", ast::BinaryOp::kGe}};
      bool found = false;
      for (const auto& [name, value] : kOps) {
        if (name == op) {
          link.op = value;
          found = true;
        }
      }
      if (!found)
        return Unsupported("operator " + std::string(op) + " with a subquery", s.location);
    }
    SQLRITE_ASSIGN_OR_RETURN(link.operand, TransformExpr(s.testexpr));
  }
  if (IsNullNode(s.subselect) || s.subselect->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("this subquery", s.location);
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::Select query, TransformSelect(*s.subselect->select_stmt));
  link.query = std::make_shared<ast::Select>(std::move(query));
  auto expr = std::make_unique<ast::Expr>();
  expr->node = std::move(link);
  expr->location = s.location;
  return expr;
}

Status Transformer::TransformWith(const PgQuery__WithClause& w,
                                  std::vector<ast::CommonTableExpr>& with, bool& recursive,
                                  bool top_level) {
  recursive = w.recursive;
  for (size_t i = 0; i < w.n_ctes; ++i) {
    const PgQuery__Node* node = w.ctes[i];
    if (node->node_case != PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR) {
      return Unsupported("this WITH item", w.location);
    }
    const PgQuery__CommonTableExpr& c = *node->common_table_expr;
    if (c.search_clause != nullptr) return Unsupported("SEARCH", c.location);
    if (c.cycle_clause != nullptr) return Unsupported("CYCLE", c.location);
    if (IsNullNode(c.ctequery)) return Unsupported("this WITH query", c.location);
    ast::CommonTableExpr cte;
    cte.name = c.ctename != nullptr ? c.ctename : "";
    cte.location = c.location;
    if (c.ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeAlways) {
      cte.materialize = ast::CteMaterialize::kAlways;
    } else if (c.ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeNever) {
      cte.materialize = ast::CteMaterialize::kNever;
    }
    for (size_t a = 0; a < c.n_aliascolnames; ++a) {
      cte.column_aliases.emplace_back(NodeString(c.aliascolnames[a]));
    }
    const PgQuery__Node& q = *c.ctequery;
    if (q.node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
      SQLRITE_ASSIGN_OR_RETURN(ast::Select query, TransformSelect(*q.select_stmt));
      cte.query = std::make_shared<ast::Select>(std::move(query));
      with.push_back(std::move(cte));
      continue;
    }
    if (q.node_case != PG_QUERY__NODE__NODE_INSERT_STMT &&
        q.node_case != PG_QUERY__NODE__NODE_UPDATE_STMT &&
        q.node_case != PG_QUERY__NODE__NODE_DELETE_STMT) {
      return Unsupported("this WITH query", c.location);
    }
    if (!top_level) {
      // PostgreSQL's analyzeCTE: only the outermost WITH may change data.
      return Fail(Error(sqlstate::kFeatureNotSupported,
                        "WITH clause containing a data-modifying statement must be at the top "
                        "level")
                      .WithPosition(Position(c.location)));
    }
    // The statement's own WITH, if any, is nested: not at the top level.
    const bool was_in_cte = in_cte_statement_;
    in_cte_statement_ = true;
    Result<ast::Statement> statement = TransformStatement(q);
    in_cte_statement_ = was_in_cte;
    if (!statement) return Fail(std::move(statement.error()));
    cte.statement = std::make_shared<ast::CteStatement>();
    cte.statement->statement = std::move(*statement);
    with.push_back(std::move(cte));
  }
  return Ok();
}

}  // namespace sqlrite::engine::sql
